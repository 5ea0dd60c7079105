import type { CommandEvent } from "../command-event.js";
import { createProgressTracker, type FileProgress, type ProgressTracker } from "./create-progress-tracker.js";
import { describePublishing } from "./describe-publishing.js";
import { describeRetry } from "./describe-retry.js";
import { maskSecrets } from "./mask-secrets.js";
import { phaseLabel } from "./phase-label.js";
import { renderProgressLine, type ProgressView } from "./render-progress-line.js";

export interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Whether stderr is a terminal: the progress line is drawn in place only then. */
  stderrIsTTY: boolean;
  /**
   * The terminal's width, so the progress line never wraps; unknown means no limit. Read at every
   * draw (bin.ts passes a getter), so a terminal made narrower meanwhile is respected.
   */
  stderrColumns?: number;
  /** stdout's width when it is a terminal (for --help); unknown means do not wrap. */
  stdoutColumns?: number;
}

export interface OutputMode {
  verbose: boolean;
  /** Machine-readable result: no progress, like huggingface_hub's non-human modes. */
  json: boolean;
  /** False with HF_HUB_DISABLE_PROGRESS_BARS. */
  progress: boolean;
}

export interface Output {
  event(event: CommandEvent): void;
  /** The command's result, on stdout. */
  result(text: string): void;
  /** A formatted error, on stderr, on lines of its own. */
  error(text: string): void;
  /** Applies what was learnt from argv and the environment after the Output was made. */
  configure(mode: Partial<OutputMode>): void;
  /** Clears a progress line still on screen; nothing is drawn after this. */
  close(): void;
}

/** At most this often (4 per second) is the progress line redrawn on a terminal. */
const REDRAW_MS = 250;
/** How often the progress is looked at without an event, so a stall or a long commit still shows. */
const TICK_MS = 1000;
/** Without a terminal: a line at least this often while an upload runs… */
const PIPE_HEARTBEAT_MS = 30_000;
/** …and one each time a step passes another tenth, but never closer together than this. */
const PIPE_MIN_GAP_MS = 1000;
const CLEAR_LINE = "\r\x1b[K";

/** Starts `tick` every `ms`; returns how to stop it. The default never keeps the process alive. */
export type Ticker = (ms: number, tick: () => void) => () => void;

const defaultTicker: Ticker = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** "Uploading 4" for a step four tenths done; "Committing" for a step without files. */
function stepKeys(views: readonly ProgressView[]): Map<string, number> {
  return new Map(
    views.map((view) => [view.label, view.filesTotal === 0 ? -1 : Math.floor(Math.min(1, view.fraction) * 10)]),
  );
}

/**
 * The only writer to stdout/stderr, one per process. Results go to stdout; warnings, verbose notes,
 * errors and progress go to stderr, so `--json` output stays parseable. Every string passes through
 * the secret mask. `clock` (ms) and `ticker` are injectable so tests need no sleeps.
 *
 * Progress, on a terminal: one line (see renderProgressLine) redrawn in place at most 4 times a
 * second, and once a second without events; every other line first erases it, so nothing is ever
 * glued to it, and it is redrawn below. Without a terminal (a CI log, a pipe): the same line printed
 * as a plain line when a step passes another tenth (at most once a second) and at least every 30 s.
 * Neither with --json or HF_HUB_DISABLE_PROGRESS_BARS. Once the result or an error is written, or
 * the output is closed, no progress is drawn again: a late event must not leave a line after it.
 */
export function createOutput(params: {
  io: Io;
  verbose: boolean;
  secrets: () => readonly string[];
  progress?: boolean;
  clock?: () => number;
  ticker?: Ticker;
}): Output {
  const { io } = params;
  const clock = params.clock ?? Date.now;
  const ticker = params.ticker ?? defaultTicker;
  const mode: OutputMode = { verbose: params.verbose, json: false, progress: params.progress ?? true };
  const mask = (text: string): string => maskSecrets(text, params.secrets());
  let tracker: ProgressTracker = createProgressTracker();
  /** Every path being uploaded, by its content's sha256, so a retry can name the file. */
  const pathsByHash = new Map<string, string[]>();
  let shown = false;
  let started = false;
  let finished = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  const steps = new Set<string>();
  let pipe: { at: number; keys: Map<string, number> } | undefined;
  let stopTicking: (() => void) | undefined;

  const reporting = (): boolean => mode.progress && !mode.json && started && !finished;
  const drawing = (): boolean => io.stderrIsTTY && reporting();
  const clearProgress = (): void => {
    if (shown) {
      io.stderr.write(CLEAR_LINE);
      shown = false;
    }
  };
  const draw = (force: boolean): void => {
    if (!drawing()) {
      return;
    }
    const now = clock();
    if (!force && now - lastDraw < REDRAW_MS) {
      return;
    }
    lastDraw = now;
    io.stderr.write(`${CLEAR_LINE}${mask(renderProgressLine(tracker.views(now), io.stderrColumns))}`);
    shown = true;
  };
  /** Without a terminal: prints the progress as a line of its own when it is time to (see above). */
  const report = (): void => {
    if (io.stderrIsTTY || !reporting()) {
      return;
    }
    const now = clock();
    const views = tracker.views(now);
    if (views.length === 0) {
      return;
    }
    const since = pipe === undefined ? undefined : now - pipe.at;
    const keys = stepKeys(views);
    const moved = [...keys].some(([label, key]) => (pipe?.keys.get(label) ?? -2) < key);
    if (since === undefined || since >= PIPE_HEARTBEAT_MS || (moved && since >= PIPE_MIN_GAP_MS)) {
      io.stderr.write(`${mask(renderProgressLine(views))}\n`);
      pipe = { at: now, keys: new Map([...(pipe?.keys ?? []), ...keys]) };
    }
  };
  const start = (): void => {
    if (!started && !finished) {
      started = true;
      // The first line comes a moment in (or with the announcement): an upload over in a second prints none.
      pipe ??= { at: clock(), keys: new Map() };
      stopTicking ??= ticker(TICK_MS, () => {
        draw(false);
        report();
      });
    }
  };
  const finish = (): void => {
    clearProgress();
    finished = true;
    stopTicking?.();
    stopTicking = undefined;
  };
  const log = (line: string): void => {
    const redraw = shown;
    clearProgress();
    io.stderr.write(`${mask(line)}\n`);
    if (redraw) {
      draw(true);
    }
  };
  const progressOf = (event: Extract<CommandEvent, { type: "file" }>): FileProgress => {
    // Set by uploads that find content already stored (Xet deduplication); not every producer has it.
    const deduped = "dedupedBytes" in event && typeof event.dedupedBytes === "number" ? event.dedupedBytes : undefined;
    return {
      path: event.path,
      state: event.state,
      progress: event.progress,
      ...(event.bytes === undefined ? {} : { bytes: event.bytes }),
      ...(event.totalBytes === undefined ? {} : { totalBytes: event.totalBytes }),
      ...(deduped === undefined ? {} : { dedupedBytes: deduped }),
    };
  };

  return {
    event(event) {
      switch (event.type) {
        case "warning":
          log(`Warning: ${event.message}`);
          break;
        case "info":
          if (!event.verbose || mode.verbose) {
            log(event.message);
          }
          break;
        case "run-selected":
          if (mode.verbose) {
            log(`Run: ${event.run.path} (${event.run.selectedBy})`);
          }
          break;
        case "publishing":
          // Each run's upload is measured on its own (--all publishes several, one after the other).
          tracker = createProgressTracker();
          steps.clear();
          pipe = { at: clock(), keys: new Map() };
          log(describePublishing(event));
          break;
        case "phase":
          start();
          tracker.phase(event.phase, clock());
          if (mode.verbose) {
            log(`${phaseLabel(event.phase)}…`);
          }
          draw(true);
          report();
          break;
        case "retry":
          log(describeRetry(event, pathsByHash));
          break;
        case "storage-object":
          pathsByHash.set(event.hash, event.paths);
          break;
        case "file": {
          start();
          if (event.state === "hashing" && event.progress < 1) {
            tracker.phase("hashing", clock());
          } else if (event.state === "uploading") {
            tracker.phase("uploading", clock());
          }
          if (event.oid !== undefined && event.state === "uploading") {
            const paths = pathsByHash.get(event.oid) ?? [];
            if (!paths.includes(event.path)) {
              pathsByHash.set(event.oid, [...paths, event.path]);
            }
          }
          tracker.file(progressOf(event), clock());
          // A step's first file is drawn at once (once per step), so the line never lags behind a phase.
          draw(!steps.has(event.state));
          steps.add(event.state);
          report();
          break;
        }
      }
    },
    result(text) {
      finish();
      io.stdout.write(mask(text));
    },
    error(text) {
      finish();
      io.stderr.write(mask(text));
    },
    configure(next) {
      Object.assign(mode, next);
      if (!drawing()) {
        clearProgress();
      }
    },
    close() {
      finish();
    },
  };
}
