import type { CommandEvent } from "../command-event.js";
import { createProgressTracker } from "./create-progress-tracker.js";
import { maskSecrets } from "./mask-secrets.js";
import { phaseLabel } from "./phase-label.js";
import { renderProgressLine } from "./render-progress-line.js";

export interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Whether stderr is a terminal: progress is drawn only then. */
  stderrIsTTY: boolean;
  /** The terminal's width, so the progress line never wraps; unknown means no limit. */
  stderrColumns?: number;
}

export interface OutputMode {
  verbose: boolean;
  /** Machine-readable result: no progress line, like huggingface_hub's non-human modes. */
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
  /** Clears a progress line still on screen. */
  close(): void;
}

/** At most this often (4 per second) is the progress line redrawn. */
const REDRAW_MS = 250;
const CLEAR_LINE = "\r\x1b[K";

/**
 * The only writer to stdout/stderr, one per process. Results go to stdout; warnings, verbose notes,
 * errors and progress go to stderr, so `--json` output stays parseable. On a terminal, one progress
 * line (see renderProgressLine) is redrawn in place at most 4 times a second; every other line
 * first erases it, so nothing is ever glued to it, and it is redrawn below. Every string passes
 * through the secret mask. `clock` (ms) is injectable so tests need no sleeps.
 */
export function createOutput(params: {
  io: Io;
  verbose: boolean;
  secrets: () => readonly string[];
  progress?: boolean;
  clock?: () => number;
}): Output {
  const { io } = params;
  const clock = params.clock ?? Date.now;
  const mode: OutputMode = { verbose: params.verbose, json: false, progress: params.progress ?? true };
  const mask = (text: string): string => maskSecrets(text, params.secrets());
  const tracker = createProgressTracker();
  let shown = false;
  let started = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  const steps = new Set<string>();

  const drawing = (): boolean => io.stderrIsTTY && mode.progress && !mode.json;
  const clearProgress = (): void => {
    if (shown) {
      io.stderr.write(CLEAR_LINE);
      shown = false;
    }
  };
  const draw = (force: boolean): void => {
    if (!drawing() || !started) {
      return;
    }
    const now = clock();
    if (!force && now - lastDraw < REDRAW_MS) {
      return;
    }
    lastDraw = now;
    io.stderr.write(`${CLEAR_LINE}${mask(renderProgressLine(tracker.views(), io.stderrColumns))}`);
    shown = true;
  };
  const log = (line: string): void => {
    const redraw = shown;
    clearProgress();
    io.stderr.write(`${mask(line)}\n`);
    if (redraw) {
      draw(true);
    }
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
        case "phase":
          started = true;
          tracker.phase(event.phase);
          if (mode.verbose) {
            log(`${phaseLabel(event.phase)}…`);
          }
          draw(true);
          break;
        case "retry": {
          const where = (() => {
            try {
              return new URL(event.url).pathname;
            } catch {
              return event.url;
            }
          })();
          log(
            `Retrying ${event.method} ${where} in ${(event.delayMs / 1000).toFixed(1)} s (${event.reason}; retry ${event.attempt} of ${event.of})`,
          );
          break;
        }
        case "file":
          started = true;
          if (event.state === "hashing" && event.progress < 1) {
            tracker.phase("hashing");
          } else if (event.state === "uploading") {
            tracker.phase("uploading");
          }
          tracker.file(
            {
              path: event.path,
              state: event.state,
              progress: event.progress,
              ...(event.bytes === undefined ? {} : { bytes: event.bytes }),
              ...(event.totalBytes === undefined ? {} : { totalBytes: event.totalBytes }),
              ...(event.dedupedBytes === undefined ? {} : { dedupedBytes: event.dedupedBytes }),
            },
            clock(),
          );
          // A step's first file is drawn at once (once per step), so the line never lags behind a phase.
          draw(!steps.has(event.state));
          steps.add(event.state);
          break;
      }
    },
    result(text) {
      clearProgress();
      io.stdout.write(mask(text));
    },
    error(text) {
      clearProgress();
      io.stderr.write(mask(text));
    },
    configure(next) {
      Object.assign(mode, next);
      if (!drawing()) {
        clearProgress();
      }
    },
    close() {
      clearProgress();
    },
  };
}
