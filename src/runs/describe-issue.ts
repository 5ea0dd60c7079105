import type { RunIssue } from "../errors.js";

/** Pure: one problem of a run as every text output lists it: the file (from the run folder), then what is wrong. */
export function describeIssue(issue: RunIssue): string {
  return `${issue.file === "" ? "(run folder)" : issue.file}: ${issue.message}`;
}
