import { createKeyedBlake3 } from "./create-keyed-blake3.js";

/** The keyed BLAKE3 hashes of the Xet protocol; every hash is 32 bytes. Get one from createXetHasher. */
export interface XetHasher {
  /** A chunk's hash: BLAKE3 keyed with DATA_KEY over the chunk's bytes (spec "Hashing", Chunk Hashes). */
  chunkHash(data: Uint8Array): Uint8Array;
  /** A merkle node's hash: BLAKE3 keyed with INTERNAL_NODE_KEY over its "{hash} : {size}\n" lines. */
  nodeHash(lines: Uint8Array): Uint8Array;
  /** A file hash from its merkle root: BLAKE3 keyed with 32 zero bytes over the root (spec "File Hashes"). */
  fileHashOfRoot(root: Uint8Array): Uint8Array;
  /** A term's verification hash: BLAKE3 keyed with VERIFICATION_KEY over its chunk hashes, concatenated. */
  rangeHash(concatenatedChunkHashes: Uint8Array): Uint8Array;
  /**
   * BLAKE3 keyed with any 32-byte key, for the HMAC a global-dedup shard applies to its chunk hashes
   * (spec "Shard", HMAC Key Protection).
   */
  keyedBy(key: Uint8Array): (data: Uint8Array) => Uint8Array;
}

// The keys are the spec's ("Hashing"); xet-core's merklehash/data_hash.rs and chunk_verification.rs hold the same.
// prettier-ignore
const DATA_KEY = new Uint8Array([
  102, 151, 245, 119, 91, 149, 80, 222, 49, 53, 203, 172, 165, 151, 24, 28,
  157, 228, 33, 16, 155, 235, 43, 88, 180, 208, 176, 75, 147, 173, 242, 41,
]);
// prettier-ignore
const INTERNAL_NODE_KEY = new Uint8Array([
  1, 126, 197, 199, 165, 71, 41, 150, 253, 148, 102, 102, 180, 138, 2, 230,
  93, 221, 83, 111, 55, 199, 109, 210, 248, 99, 82, 230, 74, 83, 113, 63,
]);
// prettier-ignore
const VERIFICATION_KEY = new Uint8Array([
  127, 24, 87, 214, 206, 86, 237, 102, 18, 127, 249, 19, 231, 165, 195, 243,
  164, 205, 38, 213, 181, 219, 73, 230, 65, 36, 152, 127, 40, 251, 148, 195,
]);

/**
 * The Xet hashes on our BLAKE3 (createKeyedBlake3: a WebAssembly SIMD kernel hashing four chunks at
 * once, about twice hash-wasm's speed measured, the fastest npm package; see docs/xet-formats.md).
 * Synchronous; one hasher serves one thread (calls never interleave in JS).
 */
export function createXetHasher(): XetHasher {
  const keyed = createKeyedBlake3();
  const bind =
    (key: Uint8Array) =>
    (bytes: Uint8Array): Uint8Array =>
      keyed(key, bytes);
  return {
    chunkHash: bind(DATA_KEY),
    nodeHash: bind(INTERNAL_NODE_KEY),
    fileHashOfRoot: bind(new Uint8Array(32)),
    rangeHash: bind(VERIFICATION_KEY),
    keyedBy: (key) => {
      if (key.length !== 32) {
        throw new RangeError(`a BLAKE3 key is 32 bytes, got ${key.length}`);
      }
      return bind(key.slice());
    },
  };
}
