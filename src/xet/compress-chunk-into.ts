import { bg4SplitInto } from "./bg4-split-into.js";
import { encodeLz4FrameInto } from "./lz4/encode-lz4-frame-into.js";
import { XORB_COMPRESSION, type XorbCompression } from "./xorb-compression.js";

/**
 * A chunk's bytes as stored in a xorb under `scheme`, written into `out`, falling back to scheme None
 * when compressing does not make it smaller (spec "Xorb": the chunk SHOULD then be stored
 * uncompressed; xet-core serialize_chunk does the same). Returns the scheme actually used and the
 * bytes written, or undefined when even the chunk as it is does not fit in `out`. Nothing is
 * allocated: a worker building xorbs would otherwise leave a chunk's worth of garbage per chunk.
 */
export function compressChunkInto(
  data: Uint8Array,
  scheme: XorbCompression,
  out: Uint8Array,
): { scheme: XorbCompression; length: number } | undefined {
  if (scheme !== XORB_COMPRESSION.none) {
    // Grouped in the kernel's own buffer, where the compressor reads it without another copy.
    const input = scheme === XORB_COMPRESSION.bg4Lz4 ? bg4SplitInto(data) : data;
    const length = encodeLz4FrameInto(input, out.subarray(0, Math.min(out.length, data.length - 1)));
    if (length > 0) {
      return { scheme, length };
    }
  }
  if (data.length > out.length) {
    return undefined;
  }
  out.set(data);
  return { scheme: XORB_COMPRESSION.none, length: data.length };
}
