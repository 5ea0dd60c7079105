import { createHash } from "node:crypto";

/** The git blob id of some bytes: the oid the Hub lists for a file stored as a plain (non-LFS) blob. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}
