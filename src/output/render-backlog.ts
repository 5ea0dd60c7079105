import { backlogFailures } from "../results/backlog-failures.js";
import type { AllResult, BacklogEntry } from "../results/types.js";
import { describeIssue } from "../runs/describe-issue.js";

/** Pure: why one run of the backlog needs attention, then its problems, one a line. */
function failureLines(entry: BacklogEntry): string[] {
  const why =
    entry.status === "incomplete"
      ? "incomplete while a newer run has finished, so not still training"
      : (entry.error ?? "failed");
  // What an incomplete run lacks is said in sentences that already name their file.
  const problems = (entry.problems ?? []).map((problem) =>
    entry.status === "incomplete" ? problem.message : describeIssue(problem),
  );
  return [`  ${entry.run}: ${why}`, ...problems.map((problem) => `    - ${problem}`)];
}

/**
 * Pure: the --all summary, oldest run first: run, status, repo, and the commit or the error; then
 * one line that counts what failed (an incomplete run older than a finished one counts: it is not
 * still training), naming each such run with every problem it has.
 */
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
  const failures = backlogFailures(result.runs);
  const training = result.runs.filter((entry) => entry.status === "incomplete" && entry.stillTraining).length;
  const lines = [format(header), ...rows.map(format), ""];
  if (failures.length === 0) {
    lines.push(
      `${result.runs.length} run(s): none failed${training === 0 ? "" : `; ${training} still training, skipped`}`,
    );
  } else {
    lines.push(`${failures.length} of ${result.runs.length} run(s) failed:`, ...failures.flatMap(failureLines));
  }
  return `${lines.join("\n")}\n`;
}
