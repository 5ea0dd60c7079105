import { convertKernelsWasm } from "./convert-kernels-wasm.js";
import { scanValues } from "./scan-values.js";
import { transposeRect, type Words } from "./transpose-rect.js";
import { DTYPE_BITS } from "../safetensors/dtypes.js";

const PAGE = 64 * 1024;
/** wasm32 addresses are 32-bit; beyond this the JS kernels take over. */
const MAX_PAGES = 65536;

export type ValueDtype = "F32" | "F16" | "BF16";

/**
 * Transpose and value scan working in place in one shared memory, so tensor bytes are read from
 * disk into it, transformed, written and hashed (by a worker thread) without a copy. Offsets are
 * byte offsets into `buffer`; callers keep them aligned to 8.
 */
export interface ConvertKernels {
  readonly buffer: SharedArrayBuffer;
  /** A view of all of `buffer`. */
  readonly bytes: Uint8Array;
  /** True when the WebAssembly SIMD kernels run (false only if the memory could not be had). */
  readonly simd: boolean;
  /** Writes output rows `c0..c1` of the transpose of the [rows, cols] matrix at `src` to `dst`. */
  transposeRows(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    elementBytes: 1 | 2 | 4 | 8,
    c0: number,
    c1: number,
  ): void;
  scan(src: number, byteLength: number, dtype: ValueDtype): { nonFinite: number; allZero: boolean };
}

type Kernel = (src: number, dst: number, rows: number, cols: number, rEnd: number, c0: number, c1: number) => void;

interface KernelExports {
  t32: Kernel;
  t16: Kernel;
  scan32: (p: number, n: number) => bigint;
  scan16: (p: number, n: number, exponent: number) => bigint;
}

let compiled: WebAssembly.Module | undefined;

function words(buffer: SharedArrayBuffer, offset: number, elementBytes: 1 | 2 | 4 | 8, length: number): Words {
  switch (elementBytes) {
    case 1:
      return new Uint8Array(buffer, offset, length);
    case 2:
      return new Uint16Array(buffer, offset, length);
    case 4:
      return new Uint32Array(buffer, offset, length);
    case 8:
      return new BigUint64Array(buffer, offset, length);
  }
}

/**
 * Allocates `byteLength` bytes of shared memory with the conversion kernels bound to it: the
 * WebAssembly SIMD module (4x4 / 8x8 word blocks, 2-4x faster than the best plain-JS loop measured)
 * for the bulk of every 2- and 4-byte matrix, plain JS for the edges and other word sizes.
 */
export function loadConvertKernels(byteLength: number): ConvertKernels {
  const pages = Math.max(1, Math.ceil(byteLength / PAGE));
  let buffer: SharedArrayBuffer;
  let wasm: KernelExports | undefined;
  if (pages <= MAX_PAGES) {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    compiled ??= new WebAssembly.Module(convertKernelsWasm());
    wasm = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as KernelExports;
    buffer = memory.buffer as unknown as SharedArrayBuffer;
  } else {
    buffer = new SharedArrayBuffer(byteLength);
  }
  const bytes = new Uint8Array(buffer);

  const transposeRows: ConvertKernels["transposeRows"] = (src, dst, rows, cols, elementBytes, c0, c1) => {
    const from = words(buffer, src, elementBytes, rows * cols);
    const to = words(buffer, dst, elementBytes, (c1 - c0) * rows);
    const kernel =
      wasm === undefined ? undefined : elementBytes === 4 ? wasm.t32 : elementBytes === 2 ? wasm.t16 : undefined;
    if (kernel === undefined) {
      transposeRect(from, to, rows, cols, 0, rows, c0, c1);
      return;
    }
    const block = elementBytes === 4 ? 4 : 8;
    const rEnd = rows - (rows % block);
    const cEnd = c1 - ((c1 - c0) % block);
    kernel(src, dst, rows, cols, rEnd, c0, cEnd);
    transposeRect(from, to, rows, cols, rEnd, rows, c0, c1);
    if (cEnd < c1) {
      const edge = words(buffer, dst + (cEnd - c0) * rows * elementBytes, elementBytes, (c1 - cEnd) * rows);
      transposeRect(from, edge, rows, cols, 0, rEnd, cEnd, c1);
    }
  };

  const scan: ConvertKernels["scan"] = (src, byteLength, dtype) => {
    if (wasm === undefined) {
      return scanValues(new Uint8Array(buffer, src, byteLength), dtype);
    }
    const wordBytes = (DTYPE_BITS[dtype] ?? 16) / 8;
    const n = byteLength / wordBytes;
    const bulk = n - (n % (16 / wordBytes));
    const packed = dtype === "F32" ? wasm.scan32(src, bulk) : wasm.scan16(src, bulk, dtype === "F16" ? 0x7c00 : 0x7f80);
    const tail = scanValues(new Uint8Array(buffer, src + bulk * wordBytes, (n - bulk) * wordBytes), dtype);
    return {
      nonFinite: Number(packed >> 1n) + tail.nonFinite,
      allZero: (packed & 1n) === 0n && tail.allZero,
    };
  };

  return { buffer, bytes, simd: wasm !== undefined, transposeRows, scan };
}
