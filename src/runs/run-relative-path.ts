/** Pure: a path inside the model folder named from the run folder, as every message shows it. */
export function runRelativePath(modelDir: string, rel: string): string {
  if (modelDir === "") {
    return rel;
  }
  return rel === "" ? modelDir : `${modelDir}/${rel}`;
}
