import type { AllResult } from "../results/types.js";

/** Pure: the --all summary, oldest run first: run, status, repo, and the commit or the error. */
export function renderBacklog(result: AllResult): string {
  if (result.runs.length === 0) {
    return `No runs to publish in ${result.dir}\n`;
  }
  const rows = result.runs.map((entry) => [
    entry.run,
    entry.published === undefined ? entry.status : `${entry.status} (${entry.published ? "published" : "pending"})`,
    entry.repoId ?? "-",
    entry.error ??
      (entry.commit === undefined
        ? "-"
        : `${entry.commit.slice(0, 12)}${entry.tag === undefined ? "" : ` (tag ${entry.tag})`}`),
  ]);
  const header = ["RUN", "STATUS", "REPO", "COMMIT / ERROR"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const format = (row: string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  const failed = result.runs.filter((entry) => entry.status === "failed").length;
  const lines = [format(header), ...rows.map(format)];
  lines.push(
    "",
    failed === 0 ? `${result.runs.length} run(s): none failed` : `${failed} of ${result.runs.length} run(s) failed`,
  );
  return `${lines.join("\n")}\n`;
}
