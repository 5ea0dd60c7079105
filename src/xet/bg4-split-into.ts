import { lz4Kernel } from "./lz4/lz4-kernel.js";

/**
 * Byte grouping for scheme ByteGrouping4LZ4 (spec "Xorb", Byte Grouping LZ4 Compression) of up to
 * 256 KiB: every 4th byte from offset 0, then from 1, 2 and 3, so the like bytes of 4-byte values (a
 * float's exponent bytes) sit together and compress better; with a length not a multiple of 4, the
 * first `length % 4` groups are one byte longer. Done by the WebAssembly kernel; the result is a view
 * of `out` or, without `out`, of the kernel's own buffer (valid until its next call), which
 * lz4CompressBlock reads in place.
 */
export function bg4SplitInto(data: Uint8Array, out?: Uint8Array): Uint8Array {
  const kernel = lz4Kernel();
  kernel.memory.set(data, kernel.input);
  kernel.bg4(kernel.input, data.length, kernel.grouped);
  const grouped = kernel.memory.subarray(kernel.grouped, kernel.grouped + data.length);
  if (out === undefined) {
    return grouped;
  }
  out.set(grouped);
  return out.subarray(0, data.length);
}
