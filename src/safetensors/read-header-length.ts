import { looksLikeLfsPointer } from "../util/looks-like-lfs-pointer.js";
import { MAX_HEADER_LENGTH } from "./parse-safetensors-header.js";
import { SafetensorsError } from "./safetensors-error.js";

/**
 * Pure: reads N from the first 8 bytes (little-endian u64) and checks it against the file size
 * before anything is allocated for the header.
 */
export function readHeaderLength(first8: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || first8.byteLength < 8) {
    throw new SafetensorsError(`${file}: file is ${fileSize} bytes, too small to be safetensors (needs at least 8)`);
  }
  if (looksLikeLfsPointer(first8)) {
    throw new SafetensorsError(
      `${file}: this is a git-LFS pointer file, not the weights; run "git lfs pull" in the source repo`,
    );
  }
  const length = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (length === 0n || length > BigInt(MAX_HEADER_LENGTH)) {
    throw new SafetensorsError(
      `${file}: header length ${length} is outside 1..${MAX_HEADER_LENGTH}; the file is not safetensors or is corrupt`,
    );
  }
  const n = Number(length);
  if (8 + n > fileSize) {
    throw new SafetensorsError(
      `${file}: header says ${n} bytes but the file has only ${fileSize - 8} after the length`,
    );
  }
  return n;
}
