import { spawn } from "node:child_process";

export interface CompletedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with only the environment given and waits for it to exit, collecting its output. */
export function runToCompletion(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string },
): Promise<CompletedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
