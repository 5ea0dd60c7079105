import { lz4KernelWasm } from "./lz4-kernel-wasm.js";

/** The LZ4 and byte-grouping kernel of this thread (lz4-kernel.wat), and where its buffers are. */
export interface Lz4Kernel {
  /** The kernel's memory, as bytes (the same buffer every call: the memory never grows). */
  readonly memory: Uint8Array;
  /** Where the input, the grouped bytes and the output go: 256 KiB each. */
  readonly input: number;
  readonly grouped: number;
  readonly output: number;
  /** Compresses [src, src + n) into [dst, dst + cap) as one LZ4 block; the length, or -1 when it does not fit. */
  compress(src: number, n: number, dst: number, cap: number): number;
  /** Byte grouping of [src, src + n) into [out, out + n). */
  bg4(src: number, n: number, out: number): void;
}

const BUFFER = 256 * 1024;
let kernel: Lz4Kernel | undefined;

/**
 * This thread's instance of the LZ4 kernel, made on first use: one per thread (each worker building
 * xorbs has its own), used by one call at a time (JS never interleaves them).
 */
export function lz4Kernel(): Lz4Kernel {
  if (kernel === undefined) {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(lz4KernelWasm())).exports as unknown as {
      memory: WebAssembly.Memory;
      compress: Lz4Kernel["compress"];
      bg4: Lz4Kernel["bg4"];
    };
    kernel = {
      memory: new Uint8Array(exports.memory.buffer),
      input: 16 * 1024,
      grouped: 16 * 1024 + BUFFER,
      output: 16 * 1024 + 2 * BUFFER,
      compress: exports.compress,
      bg4: exports.bg4,
    };
  }
  return kernel;
}
