import type { XetHasher } from "./create-xet-hasher.js";
import { merkleRoot } from "./merkle-root.js";
import type { XetChunkRef } from "./xet-chunk-ref.js";

/** A xorb's hash: the merkle root of its chunks in xorb order (spec "Hashing", Xorb Hashes). */
export function xorbHash(hasher: XetHasher, chunks: readonly XetChunkRef[]): Uint8Array {
  return merkleRoot(hasher, chunks);
}
