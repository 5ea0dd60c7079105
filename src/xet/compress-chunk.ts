import { bg4Split } from "./bg4-split.js";
import { encodeLz4Frame } from "./lz4/encode-lz4-frame.js";
import { XORB_COMPRESSION, type XorbCompression } from "./xorb-compression.js";

/**
 * A chunk's bytes as stored in a xorb under `scheme`, falling back to scheme None when compressing
 * does not make it smaller (spec "Xorb": the chunk SHOULD then be stored uncompressed; xet-core
 * serialize_chunk does the same), so the result names the scheme actually used.
 */
export function compressChunk(
  data: Uint8Array,
  scheme: XorbCompression,
): { scheme: XorbCompression; bytes: Uint8Array } {
  if (scheme !== XORB_COMPRESSION.none) {
    const bytes = encodeLz4Frame(scheme === XORB_COMPRESSION.bg4Lz4 ? bg4Split(data) : data);
    if (bytes.length < data.length) {
      return { scheme, bytes };
    }
  }
  return { scheme: XORB_COMPRESSION.none, bytes: data };
}
