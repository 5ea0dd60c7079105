import type { RepoType } from "./types.js";

/** Words that follow a repo id in the Hub's API paths, so a one-segment id ("gpt2") can be told apart. */
const API_WORDS = new Set([
  "revision",
  "preupload",
  "commit",
  "tree",
  "commits",
  "refs",
  "branch",
  "tag",
  "settings",
  "paths-info",
  "super-squash",
  "discussions",
]);

/**
 * Pure: the repo a request path names, even when no route matches it (an id without a namespace, an
 * unknown action), so that a path under a repo that does not exist is answered "repository not found",
 * as the Hub answers it. Undefined when the path names no repo.
 */
export function repoOfPath(rawPath: string): { type: RepoType; id: string } | undefined {
  let segments: string[];
  try {
    segments = rawPath.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const idAt = (index: number, words: ReadonlySet<string>): string | undefined => {
    const [first, second] = [segments[index], segments[index + 1]];
    if (first === undefined || first === "") {
      return undefined;
    }
    return second === undefined || second === "" || words.has(second) ? first : `${first}/${second}`;
  };
  if (segments[0] === "api") {
    const type = segments[1] === "models" ? "model" : segments[1] === "datasets" ? "dataset" : undefined;
    const id = type === undefined ? undefined : idAt(2, API_WORDS);
    return type === undefined || id === undefined ? undefined : { type, id };
  }
  if (segments[0]?.startsWith("__") === true) {
    return undefined;
  }
  const type: RepoType = segments[0] === "datasets" ? "dataset" : "model";
  const id = idAt(type === "dataset" ? 1 : 0, new Set(["resolve", "raw", "blob", "tree"]));
  return id === undefined ? undefined : { type, id };
}
