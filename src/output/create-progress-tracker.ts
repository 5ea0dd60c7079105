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
  /** Bytes of this file the storage already had, so they were not sent. */
  dedupedBytes?: number;
}

export interface ProgressTracker {
  /** `now` in ms: a step without files shows how long it has run. */
  phase(phase: string, now?: number): void;
  /** `now` in ms, for the rate. */
  file(event: FileProgress, now: number): void;
  /**
   * What to draw, one view per active step (hashing and uploading may overlap); empty before any
   * phase. Given `now`, the rate also counts the time since the last event, so it falls while
   * nothing moves instead of standing at its last value.
   */
  views(now?: number): ProgressView[];
}

interface FileState {
  progress: number;
  bytes: number | undefined;
  totalBytes: number | undefined;
  deduped: number;
}

interface Step {
  files: Map<string, FileState>;
  /** [time, bytes done without the deduplicated ones] */
  samples: Array<[number, number]>;
}

/** The larger of two optional numbers: progress that was reported is never taken back. */
function furthest(before: number | undefined, now: number | undefined): number | undefined {
  return before === undefined ? now : now === undefined ? before : Math.max(before, now);
}

/**
 * Pure state (time is passed in with each event): turns phase and per-file events into what the
 * progress line shows. Hashing and uploading are tracked apart, so they can run at the same time;
 * sizes, when the events carry them, give bytes, rate and ETA. A file's progress only ever moves
 * forward: a retried upload reports its bytes from 0 again, and the line must not go backwards for it
 * (the rate simply falls while the bytes are sent a second time).
 */
export function createProgressTracker(): ProgressTracker {
  let phase: { name: string; since: number | undefined } | undefined;
  const steps = new Map<string, Step>();

  const totals = (step: Step): { done: number; total: number; deduped: number } | undefined => {
    let done = 0;
    let total = 0;
    let deduped = 0;
    for (const file of step.files.values()) {
      if (file.totalBytes === undefined) {
        return undefined;
      }
      total += file.totalBytes;
      done += Math.min(file.totalBytes, file.bytes ?? file.progress * file.totalBytes);
      deduped += Math.min(file.totalBytes, file.deduped);
    }
    return { done, total, deduped };
  };

  const view = (state: string, step: Step, now: number | undefined): ProgressView => {
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
    const recorded = step.samples.at(-1);
    const last: [number, number] | undefined =
      recorded === undefined || now === undefined || now <= recorded[0] ? recorded : [now, recorded[1]];
    if (bytes !== undefined && first !== undefined && last !== undefined && last[0] - first[0] >= MIN_RATE_SPAN_MS) {
      rate = ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
    }
    return {
      label: phaseLabel(state),
      filesDone: files.filter((file) => file.progress >= 1).length,
      filesTotal: files.length,
      fraction,
      bytes:
        bytes === undefined
          ? undefined
          : { done: bytes.done, total: bytes.total, ...(bytes.deduped > 0 ? { deduped: bytes.deduped } : {}) },
      rate,
    };
  };

  return {
    phase(next, now) {
      if (phase?.name !== next) {
        phase = { name: next, since: now };
      }
    },
    file(event, now) {
      let step = steps.get(event.state);
      if (step === undefined) {
        step = { files: new Map(), samples: [] };
        steps.set(event.state, step);
      }
      const before = step.files.get(event.path);
      step.files.set(event.path, {
        progress: Math.max(before?.progress ?? 0, event.progress),
        bytes: furthest(before?.bytes, event.bytes),
        totalBytes: event.totalBytes ?? before?.totalBytes,
        deduped: Math.max(before?.deduped ?? 0, event.dedupedBytes ?? 0),
      });
      const bytes = totals(step);
      if (bytes !== undefined) {
        step.samples.push([now, bytes.done - bytes.deduped]);
        // Keep one sample older than the window, so the rate always spans all of it.
        while (step.samples.length > 2 && (step.samples[1]?.[0] ?? now) <= now - RATE_WINDOW_MS) {
          step.samples.shift();
        }
      }
    },
    views(now) {
      if (phase === undefined) {
        return [];
      }
      const current = phase;
      const active = [...steps]
        .filter(([state, step]) => state === current.name || [...step.files.values()].some((file) => file.progress < 1))
        .map(([state, step]) => view(state, step, now));
      if (active.length > 0) {
        return active;
      }
      return [
        {
          label: phaseLabel(current.name),
          filesDone: 0,
          filesTotal: 0,
          fraction: 0,
          bytes: undefined,
          rate: undefined,
          elapsedMs: now === undefined || current.since === undefined ? undefined : now - current.since,
        },
      ];
    },
  };
}
