import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./fixtures.js";

/**
 * A python whose huggingface_hub uploads through Xet by default (hf_xet importable): $HF_HUB_PYTHON,
 * $XET_REFERENCE_PYTHON, the repo's .venv, then python3; undefined when none has both.
 */
export function xetPython(): string | undefined {
  const candidates = [
    process.env.HF_HUB_PYTHON,
    process.env.XET_REFERENCE_PYTHON,
    path.join(PROJECT_ROOT, ".venv", "bin", "python"),
    "python3",
  ];
  return candidates.find(
    (python) =>
      python !== undefined &&
      python !== "" &&
      (python === "python3" || existsSync(python)) &&
      spawnSync(python, ["-c", "import huggingface_hub, hf_xet"], { stdio: "ignore" }).status === 0,
  );
}

/**
 * Runs a python script with only `env` (plus PATH) and resolves with its stdout parsed as JSON; rejects
 * with the end of its stderr when it fails.
 */
export function runPython(
  python: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ["-c", script, ...args], {
      env: { PATH: process.env.PATH ?? "", PYTHONDONTWRITEBYTECODE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`python exited ${code ?? "by a signal"}: ${stderr.slice(-3000)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as unknown);
      } catch {
        reject(new Error(`python printed no JSON: ${stdout.slice(-2000)} ${stderr.slice(-2000)}`));
      }
    });
  });
}
