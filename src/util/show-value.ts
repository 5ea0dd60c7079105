/**
 * Pure: a config value as an error message quotes it, in JSON — except the numbers JSON cannot
 * write: `1e999` in a file parses as Infinity, which JSON.stringify would print as null.
 */
export function showValue(value: unknown): string {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : String(JSON.stringify(value));
}
