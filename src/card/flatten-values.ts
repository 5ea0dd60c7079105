/** A scalar as text; objects and arrays have no single sensible text and give undefined. */
function scalarText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;
}

/**
 * Pure: a recorded JSON value → `[dotted.key, text]` rows, unedited. Lists of scalars become one
 * row; nested lists of objects (per-example results) are left out. `numbersOnly` keeps only
 * numbers, for evaluation figures.
 */
export function flattenValues(value: unknown, options: { numbersOnly?: boolean } = {}): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (node: unknown, prefix: string): void => {
    if (node === null || node === undefined) {
      return;
    }
    if (Array.isArray(node)) {
      const items = node.map(scalarText);
      if (!options.numbersOnly && items.every((item) => item !== undefined)) {
        out.push([prefix, items.join(", ")]);
      }
      return;
    }
    if (typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        walk(child, prefix === "" ? key : `${prefix}.${key}`);
      }
      return;
    }
    if (options.numbersOnly && typeof node !== "number") {
      return;
    }
    const text = scalarText(node);
    if (text !== undefined) {
      out.push([prefix, text]);
    }
  };
  walk(value, "");
  return out;
}
