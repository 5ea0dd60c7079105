import { lz4Kernel } from "./lz4-kernel.js";

/**
 * Compresses `src` (at most 256 KiB) as one LZ4 block (the LZ4 Block Format: sequences of token,
 * literals, 2-byte offset, match length) into `dst`, greedy with a 4096-entry hash table, as LZ4's
 * fast mode does, on the WebAssembly kernel (lz4-kernel.wat). Returns the compressed length, or -1
 * when it would not fit in `dst` (size `dst` below `src` to learn cheaply that compressing does not
 * pay). `src` may already lie in the kernel's grouped-bytes buffer (bg4SplitInto's output): then it is
 * not copied again.
 */
export function lz4CompressBlock(src: Uint8Array, dst: Uint8Array): number {
  const kernel = lz4Kernel();
  let at = kernel.input;
  if (src.buffer === kernel.memory.buffer && src.byteOffset === kernel.grouped) {
    at = kernel.grouped;
  } else {
    kernel.memory.set(src, kernel.input);
  }
  const length = kernel.compress(at, src.length, kernel.output, dst.length);
  if (length > 0) {
    dst.set(kernel.memory.subarray(kernel.output, kernel.output + length));
  }
  return length;
}
