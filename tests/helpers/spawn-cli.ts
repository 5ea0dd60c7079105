import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { CLI_BIN } from "./fixtures.js";

export { CLI_BIN };

export interface SpawnedCliResult {
  exitCode: number | null;
  /** The signal that killed it, if it died of one. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when it outlived `deadlineMs`, or `hangAfterSignalMs` after a signal, and had to be killed. */
  hung: boolean;
}

export interface SpawnCliOptions {
  /** Arguments for node before the script (e.g. --import a preload). */
  nodeArgs?: string[];
  /** Runs it under `ulimit -n <openFiles>` (through bash). */
  openFiles?: number;
  /** Runs it as this user and group (only root may ask); pair it with `bin` from cliForUser. */
  user?: { uid: number; gid: number };
  /** The CLI to run instead of the project's own build (a copy another user can read). */
  bin?: string;
  /** Told about every stderr chunk, with all of stderr so far and a way to signal the process. */
  onStderr?: (stderr: string, kill: (signal: NodeJS.Signals) => void) => void;
  /** How long it may run after the first signal before it counts as hung and is killed (default 20 s). */
  hangAfterSignalMs?: number;
  /** How long it may run at all before it counts as hung and is killed (default: no limit). */
  deadlineMs?: number;
}

export interface SpawnedCli {
  /** Sends a signal (the first one also starts the hang watch). */
  kill(signal: NodeJS.Signals): void;
  result: Promise<SpawnedCliResult>;
}

/**
 * Runs the built CLI in a child process with only the environment given (plus PATH): nothing leaks
 * in from vitest. Signals are real signals; a process that does not exit after one is reported as
 * hung (and killed) rather than hanging the test.
 */
export function spawnCli(args: string[], env: Record<string, string>, options: SpawnCliOptions = {}): SpawnedCli {
  const bin = options.bin ?? CLI_BIN;
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: run "npm run build" first (tests/global-setup.ts does it before every test run)`,
    );
  }
  const command = [...(options.nodeArgs ?? []), bin, ...args];
  const child =
    options.openFiles === undefined
      ? spawn(process.execPath, command, {
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
          stdio: ["ignore", "pipe", "pipe"],
          ...(options.user ?? {}),
        })
      : spawn("bash", ["-c", `ulimit -n ${options.openFiles} && exec "$0" "$@"`, process.execPath, ...command], {
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
          stdio: ["ignore", "pipe", "pipe"],
          ...(options.user ?? {}),
        });
  let stdout = "";
  let stderr = "";
  let hung = false;
  let watch: NodeJS.Timeout | undefined;
  const hang = (): void => {
    hung = true;
    child.kill("SIGKILL");
  };
  const deadline = options.deadlineMs === undefined ? undefined : setTimeout(hang, options.deadlineMs);
  const kill = (signal: NodeJS.Signals): void => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    child.kill(signal);
    watch ??= setTimeout(hang, options.hangAfterSignalMs ?? 20_000);
  };
  const result = new Promise<SpawnedCliResult>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, kill);
    });
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      clearTimeout(watch);
      clearTimeout(deadline);
      resolve({ exitCode, signal, stdout, stderr, hung });
    });
  });
  return { kill, result };
}
