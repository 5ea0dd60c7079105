import { createHash } from "node:crypto";

/** A short, file-name-safe tag of a host name (8 hex digits), whatever characters the name holds. */
export function hostTag(host: string): string {
  return createHash("sha1").update(host).digest("hex").slice(0, 8);
}
