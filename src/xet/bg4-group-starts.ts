/** Where groups 1, 2 and 3 start in the grouped bytes of `length` bytes. */
export function bg4GroupStarts(length: number): [number, number, number] {
  const words = length >>> 2;
  const extra = length & 3;
  const g1 = words + (extra > 0 ? 1 : 0);
  const g2 = g1 + words + (extra > 1 ? 1 : 0);
  return [g1, g2, g2 + words + (extra > 2 ? 1 : 0)];
}
