import type { RunIssue } from "../errors.js";

/** Pure: what an incomplete run lacks, on one line (its parts' sentences each name their file). */
export function missingSummary(missing: readonly RunIssue[]): string {
  return missing.map((part) => part.message).join("; ");
}
