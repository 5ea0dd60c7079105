/**
 * Pure: counts non-finite values and checks for all-zero, reading F32/F16/BF16 words directly
 * (F16 is non-finite iff its exponent bits are all ones, BF16 likewise). ±0 both count as zero.
 */
export function scanValues(data: Uint8Array, dtype: "F32" | "F16" | "BF16"): { nonFinite: number; allZero: boolean } {
  let nonFinite = 0;
  let allZero = true;
  if (dtype === "F32") {
    const words = new Uint32Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength / 4);
    for (let i = 0; i < words.length; i++) {
      const word = words[i] ?? 0;
      if ((word & 0x7f800000) === 0x7f800000) {
        nonFinite++;
      }
      if ((word & 0x7fffffff) !== 0) {
        allZero = false;
      }
    }
  } else {
    const exponent = dtype === "F16" ? 0x7c00 : 0x7f80;
    const words = new Uint16Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength / 2);
    for (let i = 0; i < words.length; i++) {
      const word = words[i] ?? 0;
      if ((word & exponent) === exponent) {
        nonFinite++;
      }
      if ((word & 0x7fff) !== 0) {
        allZero = false;
      }
    }
  }
  return { nonFinite, allZero };
}
