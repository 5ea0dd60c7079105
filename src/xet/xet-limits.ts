/**
 * Sizes the Xet protocol fixes, in one place because the chunker, the xorb builder and every
 * decoder must agree on them.
 */
export const XET_LIMITS = {
  /** "Content-Defined Chunking Algorithm": target_chunk_size, 64 KiB (the boundary mask has log2 of it one-bits). */
  targetChunkBytes: 64 * 1024,
  /** MIN_CHUNK_SIZE: no boundary is taken before a chunk has this many bytes (only the last chunk of a file is shorter). */
  minChunkBytes: 8 * 1024,
  /** MAX_CHUNK_SIZE: a boundary is forced here. Also the largest uncompressed chunk a xorb may hold. */
  maxChunkBytes: 128 * 1024,
  /** "Xorb Formation": the CAS refuses a serialized xorb larger than 64 MiB. */
  maxXorbBytes: 64 * 1024 * 1024,
  /** xet-core's MAX_XORB_CHUNKS (8 Ki): hf_xet cuts a xorb at this many chunks even when it is small. */
  maxXorbChunks: 8 * 1024,
} as const;
