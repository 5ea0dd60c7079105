import type { XorbCompression } from "./xorb-compression.js";

/** One chunk of a serialized xorb, as built or parsed. */
export interface XorbChunkEntry {
  readonly hash: Uint8Array;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** Where the chunk starts in the xorb's unpacked data (the shard's chunk_byte_range_start). */
  readonly unpackedStart: number;
  /** Where its 8-byte header starts in the serialized xorb. */
  readonly offset: number;
  /** Header plus stored bytes. */
  readonly serializedLength: number;
  readonly compression: XorbCompression;
}
