import { chooseChunkCompression } from "./choose-chunk-compression.js";
import { compressChunkInto } from "./compress-chunk-into.js";
import { XET_LIMITS } from "./xet-limits.js";
import type { XorbChunkEntry } from "./xorb-chunk-entry.js";
import type { XorbCompression } from "./xorb-compression.js";

/** hf_xet's compression_scheme_retest_interval: one scheme choice per 32 chunks. */
const RETEST_INTERVAL = 32;

/** Appends chunks to a xorb being serialized into a buffer; see createXorbWriter. */
export interface XorbWriter {
  /**
   * Compresses and appends one chunk (its hash already known). `fileStart`: another file's data
   * starts here, where hf_xet chooses the scheme afresh. Throws a RangeError for what the CAS would
   * refuse (an empty or over-128-KiB chunk, more than 8192 chunks or 64 MiB of data) or when the
   * buffer is full.
   */
  add(data: Uint8Array, hash: Uint8Array, fileStart?: boolean): void;
  /** The chunks written so far, in order. */
  readonly chunks: readonly XorbChunkEntry[];
  /** Their total uncompressed size. */
  readonly unpackedBytes: number;
  /** The serialized xorb so far: a view of the buffer (no footer). */
  bytes(): Uint8Array;
}

/**
 * Serializes a xorb chunk by chunk into `buffer` (spec "Xorb", Xorb Format: per chunk an 8-byte header
 * of version 0, stored size (u24 LE), scheme, uncompressed size (u24 LE), then the stored bytes), so a
 * xorb can be built while its chunks are read, holding one chunk's input at a time. "auto" compression
 * (the default) chooses as hf_xet does: chooseChunkCompression on the first chunk of every 32 and at
 * each file start, falling back to None when compressing does not shrink a chunk. A buffer of the
 * chunks' sizes plus 8 bytes each always suffices.
 */
export function createXorbWriter(
  buffer: Uint8Array,
  options: { readonly compression?: "auto" | XorbCompression } = {},
): XorbWriter {
  const chunks: XorbChunkEntry[] = [];
  let offset = 0;
  let unpackedBytes = 0;
  let scheme: XorbCompression = 0;
  let sinceChoice = 0;
  return {
    add(data, hash, fileStart = false) {
      const index = chunks.length;
      if (data.length === 0 || data.length > XET_LIMITS.maxChunkBytes) {
        throw new RangeError(`chunk ${index} has ${data.length} bytes; a chunk has 1 to ${XET_LIMITS.maxChunkBytes}`);
      }
      if (index + 1 > XET_LIMITS.maxXorbChunks || unpackedBytes + data.length > XET_LIMITS.maxXorbBytes) {
        throw new RangeError(
          `a xorb holds at most ${XET_LIMITS.maxXorbChunks} chunks and ${XET_LIMITS.maxXorbBytes} bytes of data`,
        );
      }
      if (options.compression !== undefined && options.compression !== "auto") {
        scheme = options.compression;
      } else if (index === 0 || fileStart || sinceChoice === RETEST_INTERVAL) {
        scheme = chooseChunkCompression(data);
        sinceChoice = 0;
      }
      sinceChoice++;
      // Compressed straight into place after the header's room.
      const stored =
        offset + 8 <= buffer.length ? compressChunkInto(data, scheme, buffer.subarray(offset + 8)) : undefined;
      if (stored === undefined) {
        throw new RangeError(`the xorb buffer of ${buffer.length} bytes is full`);
      }
      const length = 8 + stored.length;
      buffer[offset] = 0;
      writeU24(buffer, offset + 1, stored.length);
      buffer[offset + 4] = stored.scheme;
      writeU24(buffer, offset + 5, data.length);
      chunks.push({
        hash,
        size: data.length,
        unpackedStart: unpackedBytes,
        offset,
        serializedLength: length,
        compression: stored.scheme,
      });
      offset += length;
      unpackedBytes += data.length;
    },
    chunks,
    get unpackedBytes() {
      return unpackedBytes;
    },
    bytes: () => buffer.subarray(0, offset),
  };
}

function writeU24(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = value >>> 16;
}
