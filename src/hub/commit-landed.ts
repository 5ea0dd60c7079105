import { createHash } from "node:crypto";
import type { RemoteFile } from "./diff-against-remote.js";

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
      if (theirs?.lfsSha256 !== value.oid || theirs?.size !== value.size) {
        return false;
      }
    } else if (key === "file") {
      const content = Buffer.from(value.content ?? "", value.encoding === "base64" ? "base64" : "utf8");
      const oid = createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
      if (theirs === undefined || theirs.lfsSha256 !== undefined || theirs.oid !== oid) {
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
