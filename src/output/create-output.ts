import type { CommandEvent } from "../command-event.js";

import { maskSecrets } from "./mask-secrets.js";

export interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Whether stderr is a terminal: progress is drawn only then. */
  stderrIsTTY: boolean;
}

export interface Output {
  event(event: CommandEvent): void;
  /** The command's result, on stdout. */
  result(text: string): void;
  /** A formatted error, on stderr. */
  error(text: string): void;
  /** Clears a progress line still on screen. */
  close(): void;
}

const PHASE_LABELS: Readonly<Record<string, string>> = {
  "creating-repo": "Creating the repo",
  preuploading: "Checking files with the Hub",
  hashing: "Hashing",
  uploading: "Uploading",
  committing: "Committing",
};

/**
 * The only writer to stdout/stderr. Results go to stdout; warnings, verbose notes and progress go
 * to stderr, so `--json` output stays parseable. Every string passes through the secret mask.
 */
export function createOutput(params: { io: Io; verbose: boolean; secrets: () => readonly string[] }): Output {
  const { io, verbose } = params;
  const mask = (text: string): string => maskSecrets(text, params.secrets());
  let progressShown = false;
  let lastDraw = 0;
  let phase = "";
  const files = new Map<string, { state: string; progress: number }>();

  const clearProgress = (): void => {
    if (progressShown) {
      io.stderr.write("\r\x1b[K");
      progressShown = false;
    }
  };
  const log = (line: string): void => {
    clearProgress();
    io.stderr.write(`${mask(line)}\n`);
  };
  const drawProgress = (force: boolean): void => {
    if (!io.stderrIsTTY) {
      return;
    }
    const now = Date.now();
    if (!force && now - lastDraw < 100) {
      return;
    }
    lastDraw = now;
    const active = [...files.values()].filter((file) => file.state === phase || phase === "");
    const done = active.filter((file) => file.progress >= 1).length;
    const mean =
      active.length === 0 ? 0 : active.reduce((sum, file) => sum + Math.min(1, file.progress), 0) / active.length;
    const label = PHASE_LABELS[phase] ?? phase;
    const detail = active.length === 0 ? "" : ` ${done}/${active.length} files · ${Math.round(mean * 100)}%`;
    io.stderr.write(`\r\x1b[K${label}…${detail}`);
    progressShown = true;
  };

  return {
    event(event) {
      switch (event.type) {
        case "warning":
          log(`Warning: ${event.message}`);
          break;
        case "info":
          if (!event.verbose || verbose) {
            log(event.message);
          }
          break;
        case "run-selected":
          if (verbose) {
            log(`Run: ${event.run.path} (${event.run.selectedBy})`);
          }
          break;
        case "phase":
          phase = event.phase === "uploading" ? "uploading" : event.phase;
          if (verbose) {
            log(`${PHASE_LABELS[event.phase] ?? event.phase}…`);
          }
          drawProgress(true);
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
          files.set(`${event.state}:${event.path}`, { state: event.state, progress: event.progress });
          if (event.state === "hashing" && phase !== "hashing" && event.progress < 1) {
            phase = "hashing";
          } else if (event.state === "uploading") {
            phase = "uploading";
          }
          drawProgress(event.progress >= 1);
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
    close() {
      clearProgress();
    },
  };
}
