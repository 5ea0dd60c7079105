/** Tile edge for the blocked transpose: both the rows read and the rows written stay in cache. */
const TILE = 64;

function transposeWords(
  from: Uint8Array | Uint16Array | Uint32Array | BigUint64Array,
  to: typeof from,
  rows: number,
  cols: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const rEnd = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const cEnd = Math.min(c0 + TILE, cols);
      for (let r = r0; r < rEnd; r++) {
        const rowStart = r * cols;
        for (let c = c0; c < cEnd; c++) {
          to[c * rows + r] = from[rowStart + c] as never;
        }
      }
    }
  }
}

/**
 * Pure, bit-exact: transposes a row-major [rows, cols] matrix of `elementBytes`-wide elements by
 * moving whole words (no float decoding, so NaN payloads and -0 survive). `source` must be aligned
 * for its element size (readTensorBytes guarantees it). Returns [cols, rows].
 */
export function transpose2d(source: Uint8Array, rows: number, cols: number, elementBytes: 1 | 2 | 4 | 8): Uint8Array {
  if (source.byteLength !== rows * cols * elementBytes) {
    throw new Error(`transpose2d: ${source.byteLength} bytes is not ${rows}x${cols}x${elementBytes}`);
  }
  const out = new Uint8Array(source.byteLength);
  const n = rows * cols;
  const buffer = source.buffer as ArrayBuffer;
  switch (elementBytes) {
    case 1:
      transposeWords(source, out, rows, cols);
      break;
    case 2:
      transposeWords(new Uint16Array(buffer, source.byteOffset, n), new Uint16Array(out.buffer), rows, cols);
      break;
    case 4:
      transposeWords(new Uint32Array(buffer, source.byteOffset, n), new Uint32Array(out.buffer), rows, cols);
      break;
    case 8:
      transposeWords(new BigUint64Array(buffer, source.byteOffset, n), new BigUint64Array(out.buffer), rows, cols);
      break;
  }
  return out;
}
