import { transposeRect, type Words } from "./transpose-rect.js";

/**
 * Pure, bit-exact: transposes a row-major [rows, cols] matrix of `elementBytes`-wide elements by
 * moving whole words (no float decoding, so NaN payloads and -0 survive). `source` must be aligned
 * for its element size. Returns [cols, rows]. The conversion itself uses the SIMD kernels of
 * load-convert-kernels.ts; this is their plain reference.
 */
export function transpose2d(source: Uint8Array, rows: number, cols: number, elementBytes: 1 | 2 | 4 | 8): Uint8Array {
  if (source.byteLength !== rows * cols * elementBytes) {
    throw new Error(`transpose2d: ${source.byteLength} bytes is not ${rows}x${cols}x${elementBytes}`);
  }
  const out = new Uint8Array(source.byteLength);
  const n = rows * cols;
  const buffer = source.buffer as ArrayBuffer;
  const view = (kind: typeof Uint16Array | typeof Uint32Array | typeof BigUint64Array): [Words, Words] => [
    new kind(buffer, source.byteOffset, n),
    new kind(out.buffer, 0, n),
  ];
  const [from, to] =
    elementBytes === 1
      ? [source, out]
      : view(elementBytes === 2 ? Uint16Array : elementBytes === 4 ? Uint32Array : BigUint64Array);
  transposeRect(from, to, rows, cols, 0, rows, 0, cols);
  return out;
}
