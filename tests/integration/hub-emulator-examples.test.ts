import { spawn } from "node:child_process";
import { chmod, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../helpers/testdir.js";
import { findPython } from "../helpers/find-python.js";
import { CLI_BIN, HUB_BIN, PROJECT_ROOT as ROOT } from "../helpers/fixtures.js";

const EXAMPLES = path.join(ROOT, "examples", "pipeline-tests");
const python = findPython(["pytest"]);
const pythonWithClient = findPython(["pytest", "huggingface_hub"]);
const EXAMPLE_FILES = ["test_hub_client.py", "test_upload.py", "upload.test.ts", "vitest.config.ts"];

/**
 * A PATH on which `process-artifacts` and `process-artifacts-hub` are the built commands, as they are
 * for a project that installed the package (npm links its bins the same way).
 */
async function installedBins(): Promise<string> {
  const bin = await testdir();
  for (const [name, target] of [
    ["process-artifacts", CLI_BIN],
    ["process-artifacts-hub", HUB_BIN],
  ] as const) {
    const file = path.join(bin, name);
    await writeFile(file, `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
    await chmod(file, 0o755);
  }
  return `${bin}${path.delimiter}${process.env.PATH ?? ""}`;
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** Only what a CI job would have: no token, no endpoint, nothing of this vitest run. */
async function cleanEnv(): Promise<{ env: Record<string, string>; home: string; tmp: string }> {
  const home = await testdir();
  const tmp = await testdir();
  return { env: { PATH: await installedBins(), HOME: home, TMPDIR: tmp, PYTHONDONTWRITEBYTECODE: "1" }, home, tmp };
}

describe("the README's pipeline-test examples, run as a user would run them", () => {
  it("the README quotes the example files verbatim", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Testing a pipeline that calls process-artifacts"));
    const blocks = (language: string): string[] =>
      [...section.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1] ?? "");

    expect(blocks("python")).toEqual([
      await readFile(path.join(EXAMPLES, "test_upload.py"), "utf8"),
      await readFile(path.join(EXAMPLES, "test_hub_client.py"), "utf8"),
    ]);
    expect(blocks("ts")).toEqual([await readFile(path.join(EXAMPLES, "upload.test.ts"), "utf8")]);
  });

  it("the vitest example passes against process-artifacts-hub and leaves nothing behind", async () => {
    const { env, tmp } = await cleanEnv();

    const result = await run(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "vitest", "vitest.mjs"),
        "run",
        "--config",
        path.join(EXAMPLES, "vitest.config.ts"),
      ],
      env,
    );

    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/1 passed/);
    expect(await readdir(tmp)).toEqual([]);
    expect((await readdir(EXAMPLES)).sort()).toEqual(EXAMPLE_FILES);
  });

  it.skipIf("missing" in python)(
    `the pytest example passes against process-artifacts-hub${"missing" in python ? ` (skipped: ${python.missing})` : ""}`,
    async () => {
      const { env, tmp } = await cleanEnv();
      const basetemp = path.join(await testdir(), "pytest");

      const result = await run(
        "python" in python ? python.python : "python3",
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", basetemp, path.join(EXAMPLES, "test_upload.py")],
        env,
      );

      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(/1 passed/);
      expect(await readdir(tmp)).toEqual([]);
      expect((await readdir(EXAMPLES)).sort()).toEqual(EXAMPLE_FILES);
    },
  );

  it.skipIf("missing" in pythonWithClient)(
    `the huggingface_hub example passes against process-artifacts-hub${"missing" in pythonWithClient ? ` (skipped: ${pythonWithClient.missing})` : ""}`,
    async () => {
      const { env, tmp } = await cleanEnv();
      const basetemp = path.join(await testdir(), "pytest");

      const result = await run(
        "python" in pythonWithClient ? pythonWithClient.python : "python3",
        [
          "-m",
          "pytest",
          "-q",
          "-p",
          "no:cacheprovider",
          "--basetemp",
          basetemp,
          path.join(EXAMPLES, "test_hub_client.py"),
        ],
        env,
      );

      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(/1 passed/);
      expect(await readdir(tmp)).toEqual([]);
      expect((await readdir(EXAMPLES)).sort()).toEqual(EXAMPLE_FILES);
    },
  );
});
