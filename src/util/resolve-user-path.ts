import path from "node:path";

/** Pure: "~" and "~/x" → under `home`; relative paths → against `cwd`; the result is absolute. */
export function resolveUserPath(value: string, home: string, cwd: string): string {
  const expanded = value === "~" ? home : value.startsWith("~/") ? path.join(home, value.slice(2)) : value;
  return path.resolve(cwd, expanded);
}
