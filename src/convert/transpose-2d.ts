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
  const view = <T extends Uint8Array | Uint16Array | Uint32Array | BigUint64Array>(
    Kind: { new (b: ArrayBuffer, o: number, l: number): T },
    data: Uint8Array,
  ): T => new Kind(data.buffer as ArrayBuffer, data.byteOffset, rows * cols);
  const move = (from: ArrayLike<number | bigint>, to: { [index: number]: number | bigint }): void => {
    for (let r = 0; r < rows; r++) {
      const rowStart = r * cols;
      for (let c = 0; c < cols; c++) {
        to[c * rows + r] = from[rowStart + c] as number | bigint;
      }
    }
  };
  switch (elementBytes) {
    case 1:
      move(source, out);
      break;
    case 2:
      move(view(Uint16Array, source), view(Uint16Array, out));
      break;
    case 4:
      move(view(Uint32Array, source), view(Uint32Array, out));
      break;
    case 8:
      move(view(BigUint64Array, source), view(BigUint64Array, out));
      break;
  }
  return out;
}
