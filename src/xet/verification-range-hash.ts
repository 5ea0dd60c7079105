import type { XetHasher } from "./create-xet-hasher.js";

/**
 * The verification hash of one file term (spec "Hashing", Term Verification Hashes): the raw 32-byte
 * hashes of the term's chunks [start, end) of its xorb, concatenated, hashed keyed with VERIFICATION_KEY.
 * A shard upload carries one per term, proving the uploader knows the chunks it references.
 */
export function verificationRangeHash(hasher: XetHasher, chunkHashes: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunkHashes.length * 32);
  chunkHashes.forEach((hash, i) => joined.set(hash, i * 32));
  return hasher.rangeHash(joined);
}
