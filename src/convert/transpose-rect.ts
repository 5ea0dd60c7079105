export type Words = Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

/** Tile edge: both the rows read and the rows written stay in cache. */
const TILE = 64;

/**
 * Pure, bit-exact: `target[(c - c0) * rows + r] = source[r * cols + c]` for `r0 <= r < r1` and
 * `c0 <= c < c1`, where `source` is a row-major [rows, cols] matrix of words and `target` holds
 * output rows `c0..c1` of its transpose. Used where the SIMD kernels do not apply (edges, 1- and
 * 8-byte words); `source` and `target` must have the same word type.
 */
export function transposeRect(
  source: Words,
  target: Words,
  rows: number,
  cols: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  const to = target as Uint32Array;
  const from = source as Uint32Array;
  for (let rt = r0; rt < r1; rt += TILE) {
    const rEnd = Math.min(rt + TILE, r1);
    for (let ct = c0; ct < c1; ct += TILE) {
      const cEnd = Math.min(ct + TILE, c1);
      for (let c = ct; c < cEnd; c++) {
        const out = (c - c0) * rows;
        for (let r = rt, at = rt * cols + c; r < rEnd; r++, at += cols) {
          to[out + r] = from[at] as number;
        }
      }
    }
  }
}
