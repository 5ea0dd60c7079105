import type { BacklogEntry } from "./types.js";

/**
 * Pure: the runs of a backlog that make `--all` fail: those that failed, and incomplete runs that are
 * not still training (a newer run is finished). Only the newest runs, still being written, pass.
 */
export function backlogFailures(runs: readonly BacklogEntry[]): BacklogEntry[] {
  return runs.filter((entry) => entry.status === "failed" || (entry.status === "incomplete" && !entry.stillTraining));
}
