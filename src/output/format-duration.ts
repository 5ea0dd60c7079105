/** Pure: 4.2 → "4 s", 65 → "1 min 05 s", 3720 → "1 h 02 min". Whole seconds: an ETA is a guess. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) {
    return `${total} s`;
  }
  if (total < 3600) {
    return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
  }
  const minutes = Math.floor(total / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
