import { XET_LIMITS } from "./xet-limits.js";

/**
 * hf_xet's rule for cutting chunks into xorbs (xet-core file_deduplication.rs): a chunk of
 * `nextChunkBytes` joins the open xorb unless that would take it over 64 MiB of data or 8192 chunks;
 * then the open xorb is cut and the chunk starts the next. Packing the same way gives the same xorb
 * hashes as hf_xet for the same new chunks.
 */
export function fitsInXorb(chunkCount: number, unpackedBytes: number, nextChunkBytes: number): boolean {
  return unpackedBytes + nextChunkBytes <= XET_LIMITS.maxXorbBytes && chunkCount + 1 <= XET_LIMITS.maxXorbChunks;
}
