import { isPlainObject } from "../util/is-plain-object.js";
import type { FieldShape } from "./validated-run.js";

/** A message's role is a label the card can list; any other value may be content and is never kept. */
const KEEP_VALUES = new Set(["role"]);
const MAX_VALUES = 8;

function typeOf(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "list";
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? "integer" : "number";
  }
  return typeof value === "object" ? "object" : typeof value;
}

function note(fields: Record<string, FieldShape>, key: string, value: unknown, depth: number): void {
  const shape = (fields[key] ??= { count: 0, types: [] });
  shape.count++;
  const type = typeOf(value);
  if (!shape.types.includes(type)) {
    shape.types = [...shape.types, type].sort();
  }
  if (KEEP_VALUES.has(key) && typeof value === "string") {
    const values = shape.values;
    if (values === undefined) {
      shape.values = [value];
    } else if (values.length > 0 && !values.includes(value)) {
      // Past a few distinct values it is no label: none is kept then, and an empty list says so.
      shape.values = values.length < MAX_VALUES ? [...values, value] : [];
    }
  }
  if (depth > 0) {
    return;
  }
  if (isPlainObject(value)) {
    for (const [child, inner] of Object.entries(value)) {
      note((shape.fields ??= {}), child, inner, depth + 1);
    }
  } else if (Array.isArray(value)) {
    shape.items = (shape.items ?? 0) + value.length;
    for (const item of value) {
      if (isPlainObject(item)) {
        for (const [child, inner] of Object.entries(item)) {
          note((shape.fields ??= {}), child, inner, depth + 1);
        }
      }
    }
  }
}

/**
 * Pure (it updates `fields`): counts one example's fields into a split's summary, two levels deep:
 * the example's own keys, and the keys of the objects they hold or list (`metadata.source`,
 * `messages[].role`). Values are never kept, except a message's role among a few.
 */
export function observeFields(fields: Record<string, FieldShape>, example: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(example)) {
    note(fields, key, value, 0);
  }
}
