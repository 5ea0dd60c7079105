import { main } from "../../src/main.js";
import { DEFAULT_TOKEN } from "../../emulator/fake-hub.js";
import { testdir } from "./testdir.js";

export const TEST_HUB = "https://hub.test";
export { DEFAULT_TOKEN };

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The TMPDIR the run staged in (to check it was left empty). */
  tmpdir: string;
  home: string;
}

/**
 * Runs the whole program in-process (so msw sees its requests) with an explicit environment:
 * HOME and TMPDIR are fresh temp folders, the Hub is https://hub.test, the token is the emulator's.
 * Nothing is inherited from process.env.
 */
export async function runCli(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    home?: string;
    signal?: AbortSignal;
    stderrIsTTY?: boolean;
  } = {},
): Promise<CliRun> {
  const home = options.home ?? (await testdir());
  const tmpdir = await testdir();
  let stdout = "";
  let stderr = "";
  // Retries back off in milliseconds here, not seconds, so failure tests stay fast.
  const env = {
    HOME: home,
    TMPDIR: tmpdir,
    HF_ENDPOINT: TEST_HUB,
    HF_TOKEN: DEFAULT_TOKEN,
    PROCESS_ARTIFACTS_RETRY_BASE_MS: "1",
    ...options.env,
  };
  const exitCode = await main(
    argv,
    env,
    {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      stderrIsTTY: options.stderrIsTTY ?? false,
    },
    { cwd: options.cwd ?? home, homedir: home, tmpdir, ...(options.signal ? { signal: options.signal } : {}) },
  );
  return { exitCode, stdout, stderr, tmpdir, home };
}
