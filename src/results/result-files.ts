import type { StagedFile } from "../stage/staged-upload.js";
import { compareStrings } from "../util/compare-strings.js";
import type { RepoResult } from "./types.js";

/** Pure: a repo's files as the result lists them, with their total size. */
export function resultFiles(files: readonly StagedFile[]): Pick<RepoResult, "files" | "totalBytes"> {
  const listed = files
    .map((file) => ({ path: file.pathInRepo, size: file.size, origin: file.origin }))
    .sort((a, b) => compareStrings(a.path, b.path));
  return { files: listed, totalBytes: listed.reduce((sum, file) => sum + file.size, 0) };
}
