import type { ListRunsResult } from "../commands/types.js";
import { formatBytes } from "./format-bytes.js";

/** Pure: the `--list-runs` table, newest first. */
export function renderRunList(result: ListRunsResult): string {
  if (result.runs.length === 0) {
    return `No runs in ${result.dir}\n`;
  }
  const rows = result.runs.map((run) => [
    run.name,
    run.timestamp.replace("T", " "),
    run.kinds.length === 0 ? "(no artifacts)" : run.kinds.join("+"),
    formatBytes(run.size),
  ]);
  const header = ["RUN", "TIMESTAMP", "KIND", "SIZE"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const format = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[format(header), ...rows.map(format)].join("\n")}\n`;
}
