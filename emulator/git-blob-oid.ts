import { createHash } from "node:crypto";

/** The git blob id of some content: what the Hub reports as a regular file's `oid`. */
export function gitBlobOid(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}
