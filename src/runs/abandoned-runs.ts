/**
 * Pure: of a models dir's runs, the incomplete ones that are not still training. Training writes one
 * run at a time, so an incomplete run older than a run that got further (complete, or finished but
 * invalid) was abandoned or broken on the way — a truncated file there is damage to report, not
 * work in progress to wait for. Order does not matter: runs are compared by their time.
 */
export function abandonedRuns(runs: ReadonlyArray<{ name: string; time: number; incomplete: boolean }>): Set<string> {
  const newestFinished = Math.max(...runs.filter((run) => !run.incomplete).map((run) => run.time));
  return new Set(runs.filter((run) => run.incomplete && run.time < newestFinished).map((run) => run.name));
}
