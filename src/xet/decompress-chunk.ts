import { bg4Regroup } from "./bg4-regroup.js";
import { decodeLz4Frame } from "./lz4/decode-lz4-frame.js";
import { XetFormatError } from "./xet-format-error.js";
import { XORB_COMPRESSION } from "./xorb-compression.js";

/**
 * A xorb chunk's original bytes from its stored bytes, the scheme byte and the uncompressed size of
 * its header. Throws XetFormatError when the stored bytes do not decode to exactly `size` bytes.
 */
export function decompressChunk(scheme: number, stored: Uint8Array, size: number): Uint8Array {
  switch (scheme) {
    case XORB_COMPRESSION.none:
      if (stored.length !== size) {
        throw new XetFormatError(
          "bad-chunk-header",
          `an uncompressed chunk of ${size} bytes is stored in ${stored.length} bytes`,
        );
      }
      return stored;
    case XORB_COMPRESSION.lz4:
      return decodeLz4Frame(stored, size);
    case XORB_COMPRESSION.bg4Lz4:
      return bg4Regroup(decodeLz4Frame(stored, size));
    default:
      throw new XetFormatError("bad-chunk-header", `unknown compression scheme ${scheme}`);
  }
}
