import type { ListRunsResult } from "../results/types.js";
import { missingSummary } from "../runs/missing-summary.js";
import { formatBytes } from "../util/format-bytes.js";
import { describeIssue } from "../runs/describe-issue.js";

/** Pure: the `--list-runs` table, newest first; the newest complete run is the one an upload picks. */
export function renderRunList(result: ListRunsResult): string {
  if (result.runs.length === 0) {
    return `No runs in ${result.dir}\n`;
  }
  // An upload takes the newest run that is not still being written, even one that then fails validation.
  const pickedRun = result.runs.find((run) => run.status !== "incomplete");
  const picked = pickedRun?.name;
  const asked = result.runs.some((run) => run.published !== undefined);
  const rows = result.runs.map((run) => [
    `${run.name === picked ? "* " : "  "}${run.name}`,
    run.timestamp.replace("T", " "),
    run.status === "complete"
      ? "complete"
      : `${run.status}: ${run.status === "incomplete" ? missingSummary(run.problems) : run.problems.map(describeIssue).join("; ")}`,
    run.layout,
    run.kinds.length === 0 ? "-" : run.kinds.join("+"),
    run.files === 0 ? "-" : formatBytes(run.size),
    run.published === undefined ? "-" : run.published ? "yes" : "no",
  ]);
  const header = ["  RUN", "TIMESTAMP", "STATUS", "LAYOUT", "KIND", "SIZE", "PUBLISHED"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === 2 ? 0 : (row[column] ?? "").length))),
  );
  // The status column goes last when it is long, so one long reason does not push the table apart.
  const columns = asked ? [0, 1, 3, 4, 5, 6, 2] : [0, 1, 3, 4, 5, 2];
  const format = (row: string[]): string =>
    columns
      .map((column, index) =>
        index === columns.length - 1 ? (row[column] ?? "") : (row[column] ?? "").padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const lines = [format(header), ...rows.map(format)];
  if (pickedRun?.status === "complete") {
    lines.push("", `* the run an upload would pick (the newest complete one)`);
  } else if (pickedRun !== undefined) {
    lines.push("", `* the run an upload would pick: it fails validation, so the upload would stop (exit 3)`);
  }
  return `${lines.join("\n")}\n`;
}
