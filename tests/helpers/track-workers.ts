import type { Worker } from "node:worker_threads";
import { onTestFinished } from "vitest";

/**
 * Records every worker thread the code under test starts from now until the test ends; the returned
 * function counts those still running (a finished worker's threadId is -1).
 */
export function trackWorkers(): { started(): number; running(): number } {
  const workers: Worker[] = [];
  const listener = (worker: Worker): void => {
    workers.push(worker);
  };
  process.on("worker", listener);
  onTestFinished(() => {
    process.off("worker", listener);
  });
  return {
    started: () => workers.length,
    running: () => workers.filter((worker) => worker.threadId !== -1).length,
  };
}
