/** The inverse of bg4Split: puts grouped bytes back in their original order. */
export function bg4Regroup(grouped: Uint8Array): Uint8Array {
  const out = new Uint8Array(grouped.length);
  let at = 0;
  for (let group = 0; group < 4; group++) {
    for (let i = group; i < out.length; i += 4) {
      out[i] = grouped[at++] as number;
    }
  }
  return out;
}
