import { bg4GroupStarts } from "./bg4-group-starts.js";

/** The inverse of bg4Split: puts grouped bytes back in their original order. */
export function bg4Regroup(grouped: Uint8Array): Uint8Array {
  const out = new Uint8Array(grouped.length);
  const [g1, g2, g3] = bg4GroupStarts(grouped.length);
  const words = grouped.length >>> 2;
  for (let i = 0, j = 0; i < words; i++, j += 4) {
    out[j] = grouped[i] as number;
    out[j + 1] = grouped[g1 + i] as number;
    out[j + 2] = grouped[g2 + i] as number;
    out[j + 3] = grouped[g3 + i] as number;
  }
  const tail = words * 4;
  [0, g1, g2].slice(0, grouped.length - tail).forEach((start, k) => (out[tail + k] = grouped[start + words] as number));
  return out;
}
