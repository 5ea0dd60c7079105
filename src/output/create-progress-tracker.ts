import { phaseLabel } from "./phase-label.js";
import type { ProgressView } from "./render-progress-line.js";

/** The rate is measured over this much recent time: long enough to be steady, short enough to follow changes. */
const RATE_WINDOW_MS = 5000;
const MIN_RATE_SPAN_MS = 500;

export interface FileProgress {
  path: string;
  state: "hashing" | "uploading";
  /** 0..1 */
  progress: number;
  bytes?: number;
  totalBytes?: number;
  /** Of `bytes`, those the Hub already held (Xet dedup): done without being sent. */
  dedupedBytes?: number;
}

export interface ProgressTracker {
  phase(phase: string): void;
  /** `now` in ms, for the rate. */
  file(event: FileProgress, now: number): void;
  /** What to draw, one view per active step (hashing and uploading may overlap); empty before any phase. */
  views(): ProgressView[];
}

interface Step {
  files: Map<
    string,
    { progress: number; bytes: number | undefined; totalBytes: number | undefined; dedupedBytes: number | undefined }
  >;
  /** [time, bytes done] */
  samples: Array<[number, number]>;
}

/**
 * Pure state (time is passed in with each file event): turns phase and per-file events into what the progress line
 * shows. Hashing and uploading are tracked apart, so they can run at the same time; sizes, when
 * the events carry them, give bytes, rate and ETA.
 */
export function createProgressTracker(): ProgressTracker {
  let phase: string | undefined;
  const steps = new Map<string, Step>();

  const totals = (step: Step): { done: number; total: number } | undefined => {
    let done = 0;
    let total = 0;
    for (const file of step.files.values()) {
      if (file.totalBytes === undefined) {
        return undefined;
      }
      total += file.totalBytes;
      done += Math.min(file.totalBytes, file.bytes ?? file.progress * file.totalBytes);
    }
    return { done, total };
  };

  const view = (state: string, step: Step): ProgressView => {
    const files = [...step.files.values()];
    const bytes = totals(step);
    const fraction =
      bytes !== undefined
        ? bytes.total === 0
          ? 1
          : bytes.done / bytes.total
        : files.reduce((sum, file) => sum + Math.min(1, file.progress), 0) / Math.max(1, files.length);
    let rate: number | undefined;
    const first = step.samples[0];
    const last = step.samples.at(-1);
    if (bytes !== undefined && first !== undefined && last !== undefined && last[0] - first[0] >= MIN_RATE_SPAN_MS) {
      rate = ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
    }
    const deduped = files.reduce((sum, file) => sum + (file.dedupedBytes ?? 0), 0);
    return {
      label: phaseLabel(state),
      filesDone: files.filter((file) => file.progress >= 1).length,
      filesTotal: files.length,
      fraction,
      bytes,
      rate,
      ...(deduped > 0 ? { dedupedBytes: deduped } : {}),
    };
  };

  return {
    phase(next) {
      phase = next;
    },
    file(event, now) {
      let step = steps.get(event.state);
      if (step === undefined) {
        step = { files: new Map(), samples: [] };
        steps.set(event.state, step);
      }
      step.files.set(event.path, {
        progress: event.progress,
        bytes: event.bytes,
        totalBytes: event.totalBytes,
        dedupedBytes: event.dedupedBytes,
      });
      const bytes = totals(step);
      if (bytes !== undefined) {
        step.samples.push([now, bytes.done]);
        // Keep one sample older than the window, so the rate always spans all of it.
        while (step.samples.length > 2 && (step.samples[1]?.[0] ?? now) <= now - RATE_WINDOW_MS) {
          step.samples.shift();
        }
      }
    },
    views() {
      if (phase === undefined) {
        return [];
      }
      const active = [...steps]
        .filter(([state, step]) => state === phase || [...step.files.values()].some((file) => file.progress < 1))
        .map(([state, step]) => view(state, step));
      if (active.length > 0) {
        return active;
      }
      return [
        {
          label: phaseLabel(phase),
          filesDone: 0,
          filesTotal: 0,
          fraction: 0,
          bytes: undefined,
          rate: undefined,
        },
      ];
    },
  };
}
