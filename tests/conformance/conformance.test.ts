import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE_MODULES, findPython } from "../helpers/find-python.js";
import { CLI_BIN, HUB_BIN, PROJECT_ROOT } from "../helpers/fixtures.js";
import { startHubCommand } from "../helpers/start-hub-command.js";
import { testdir } from "../helpers/testdir.js";

const python = findPython(CONFORMANCE_MODULES);

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** Only what a user's test run would have: no token or endpoint of this machine, temp HOME and TMPDIR. */
async function cleanEnv(): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: await testdir(),
    TMPDIR: await testdir(),
    PYTHONDONTWRITEBYTECODE: "1",
    NODE: process.execPath,
    EMULATOR_BIN: HUB_BIN,
    CLI_BIN,
  };
}

describe.skipIf("missing" in python)("conformance: the emulator under the clients people use", () => {
  it(
    "the python suite (huggingface_hub, hf_xet installed; datasets.load_dataset) passes",
    { timeout: 300_000 },
    async () => {
      const result = await run(
        "python" in python ? python.python : "python3",
        ["-m", "pytest", "-q", "--basetemp", path.join(await testdir(), "pytest"), "tests/conformance"],
        await cleanEnv(),
      );

      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(/\b\d{2,} passed\b/);
      expect(result.out).not.toMatch(/\b(failed|errors?|skipped)\b/);
    },
  );

  it("the @huggingface/hub script passes: uploads, downloads, listings at refs/pr/1 and feature/x", async () => {
    const hub = await startHubCommand([]);

    const result = await run(process.execPath, [path.join(PROJECT_ROOT, "tests", "conformance", "hub-js-client.mjs")], {
      ...(await cleanEnv()),
      HF_ENDPOINT: hub.info.url,
      HF_TOKEN: hub.info.token,
      HUB_USER: hub.info.user,
    });

    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain("listings at refs/pr/1 and feature/x hold");
  });
});
