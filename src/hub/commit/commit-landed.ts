import { gitBlobSha1 } from "../../util/git-blob-sha1.js";
import type { RemoteFile } from "../diff-against-remote.js";

export interface CommitOperationLine {
  key: string;
  value: { path?: string; oid?: string; size?: number; content?: string; encoding?: string };
}

/**
 * Pure: does the repo's current tree already hold exactly what this commit would write? Used after
 * a commit request failed in a way that hides whether it landed: if every file is there with our
 * content, it did (or an identical one did), and sending it again would only duplicate it.
 */
export function commitLanded(
  operations: readonly CommitOperationLine[],
  remote: ReadonlyMap<string, RemoteFile>,
): boolean {
  for (const { key, value } of operations) {
    const theirs = value.path === undefined ? undefined : remote.get(value.path);
    if (key === "lfsFile") {
      if (theirs === undefined || theirs.lfsSha256 !== value.oid || theirs.size !== value.size) {
        return false;
      }
    } else if (key === "file") {
      const content = Buffer.from(value.content ?? "", value.encoding === "base64" ? "base64" : "utf8");
      if (theirs === undefined || theirs.lfsSha256 !== undefined || theirs.oid !== gitBlobSha1(content)) {
        return false;
      }
    } else if (key === "deletedFile") {
      if (theirs !== undefined) {
        return false;
      }
    }
  }
  return true;
}
