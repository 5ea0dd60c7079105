import type { XetHasher } from "./create-xet-hasher.js";
import { merkleRoot } from "./merkle-root.js";
import type { XetChunkRef } from "./xet-chunk-ref.js";

/**
 * A file's Xet hash (spec "Hashing", File Hashes): the merkle root of all its chunks, hashed once more
 * keyed with 32 zero bytes. An empty file has no chunks and the all-zero hash, as hf_xet reports it.
 */
export function fileHash(hasher: XetHasher, chunks: readonly XetChunkRef[]): Uint8Array {
  if (chunks.length === 0) {
    return new Uint8Array(32);
  }
  return hasher.fileHashOfRoot(merkleRoot(hasher, chunks));
}
