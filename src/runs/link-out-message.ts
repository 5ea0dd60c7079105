/** Pure: the one wording of "this link leads out of the run", for a file or a folder, named with its target. */
export function linkOutMessage(target: string): string {
  return `symbolic link points outside the run (${target}); nothing outside the run is published — copy it into the run instead`;
}
