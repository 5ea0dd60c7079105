import { spawn, type ChildProcess } from "node:child_process";
import { http, passthrough } from "msw";
import { onTestFinished } from "vitest";
import { server } from "./msw-server.js";
import { testdir } from "./testdir.js";
import { HUB_BIN } from "./fixtures.js";

export { HUB_BIN };

export interface HubInfo {
  url: string;
  token: string;
  user: string;
  data: string;
}

export interface HubCommand {
  info: HubInfo;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends the signal and waits for the exit: the code, or the signal if it died of one. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/**
 * Starts the built `process-artifacts-hub` with only the environment given (plus PATH), waits for its
 * JSON line, lets this test's fetch reach it past msw, and stops it (SIGTERM) when the test ends.
 */
export async function startHubCommand(
  args: string[],
  env: Record<string, string> = {},
  bin: string = HUB_BIN,
): Promise<HubCommand> {
  // Its own TMPDIR, so even a killed emulator leaves its temp data folder inside the test's.
  const tmp = env.TMPDIR ?? (await testdir());
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on("close", (code, signal) => resolve(code ?? signal)),
  );
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  });
  const info = await new Promise<HubInfo>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline >= 0) {
        resolve(JSON.parse(stdout.slice(0, newline)) as HubInfo);
      }
    });
    child.on("error", reject);
    void exited.then((code) =>
      reject(new Error(`process-artifacts-hub exited (${String(code)}) before listening: ${stderr}`)),
    );
  });
  server.use(http.all(`${info.url}/*`, () => passthrough()));
  return {
    info,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: (signal = "SIGTERM") => {
      child.kill(signal);
      return exited;
    },
  };
}
