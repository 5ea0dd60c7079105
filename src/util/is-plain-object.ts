/** A JSON object (not null, not an array): what every config and metadata file must be at its root. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
