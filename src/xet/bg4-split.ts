/**
 * Byte grouping for scheme ByteGrouping4LZ4 (spec "Xorb", Byte Grouping LZ4 Compression): every 4th
 * byte from offset 0, then from 1, 2 and 3, so the like bytes of 4-byte values (a float's exponent
 * bytes) sit together and compress better. With a length not a multiple of 4, the first
 * `length % 4` groups are one byte longer.
 */
export function bg4Split(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  let at = 0;
  for (let group = 0; group < 4; group++) {
    for (let i = group; i < data.length; i += 4) {
      out[at++] = data[i] as number;
    }
  }
  return out;
}
