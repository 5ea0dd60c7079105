import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";

describe("--skip-model-upload and --dry-run", () => {
  it("--skip-model-upload finds the run, prints the skip line and sends nothing", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);

    const result = await runCli(["--only-upload", "--model-dir", models, "--skip-model-upload"], {
      env: { HF_TOKEN: undefined },
    });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${run}`);
    expect(result.stdout).toContain("🛑 Upload skipped (--skip-model-upload flag)");
    expect(seen).toEqual([]);
  });

  it("--dry-run validates, stages and prints the plan without any request or token", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { checkpoint: true });
    const before = await hashTree(run);

    const result = await runCli(["--model-dir", models, "--dry-run"], { env: { HF_TOKEN: undefined } });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("📝 Dry run: validated and staged, nothing was sent");
    expect(result.stdout).toContain(`Repo: <token owner>/${RUN} on https://hub.test (public)`);
    expect(result.stdout).toMatch(/mlx\/adapters\.safetensors\s+\d+(\.\d+)? KiB\n/);
    expect(result.stdout).toMatch(/adapter_model\.safetensors\s+.*\[converted\]/);
    expect(result.stdout).toMatch(/README\.md\s+.*\[generated\]/);
    expect(result.stdout).toMatch(/mlx\/adapter_config\.json\s+.*\[sanitized\]/);
    expect(result.stdout).toContain(
      "(excluded) adapters/0000100_adapters.safetensors: intermediate training checkpoint",
    );
    expect(seen).toEqual([]);
    expect(await hashTree(run)).toEqual(before);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it("--dry-run --json gives the plan as JSON", async () => {
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const config = await testdir({
      "c.yaml": "huggingface:\n  repo_prefix: olmo-org\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n",
    });

    const result = await runCli([
      "--model-dir",
      models,
      "--dry-run",
      "--json",
      "--private",
      "--config",
      path.join(config, "c.yaml"),
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      status: string;
      repoId: string;
      private: boolean;
      totalBytes: number;
      files: unknown[];
    };
    expect(plan).toMatchObject({ status: "dry-run", repoId: `olmo-org/${RUN}`, private: true });
    expect(plan.totalBytes).toBeGreaterThan(0);
    expect(plan.files).toHaveLength(6);
  });
});

describe("command-line usage", () => {
  it.each([
    [["--bogus"], /Unknown argument: bogus/],
    [["--only-upload", "--only-training"], /Cannot combine several --only-\* flags/],
    [["--only-training"], /--only-training is not a phase of process-artifacts/],
    [["--model-dir", "a", "--model-dir", "b"], /--model-dir was given more than once/],
    [["--dry-run", "--skip-model-upload"], /mutually exclusive/],
    [["--list-runs", "--dry-run"], /mutually exclusive/],
    [["--model-dir"], /Not enough arguments following: model-dir/],
    [["stray-positional"], /Unknown argument: stray-positional/],
  ])("%j is a usage error (exit 2, one line, nothing sent)", async (argv, message) => {
    const seen = recordAllRequests();
    const result = await runCli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(seen).toEqual([]);
  });

  it("--help explains the flags, the environment and the exit codes", async () => {
    const result = await runCli(["--help"]);
    expect(result.exitCode).toBe(0);
    for (const text of [
      "--only-upload",
      "--model-dir",
      "--dry-run",
      "--skip-model-upload",
      "--list-runs",
      "HF_TOKEN",
      "Exit codes",
      "130",
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(result.stderr).toBe("");
  });

  it.each([["--version"], ["-V"]])("%s prints the package version", async (flag) => {
    const result = await runCli([flag]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("a missing token is a clear error before any staging or upload work", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models], { env: { HF_TOKEN: undefined } });

    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(/^Error: No Hugging Face token found — Set HF_TOKEN/);
    expect(seen).toEqual([]);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });
});

describe("HF_HUB_OFFLINE, as huggingface_hub defines it", () => {
  it.each(["1", "true", "YES", "on"])(
    "HF_HUB_OFFLINE=%s: an upload is refused in one line with exit 2 and no request",
    async (value) => {
      const seen = recordAllRequests();
      const models = await testdir();
      const run = await writeMlxRun(models, RUN);
      const before = await hashTree(run);

      const result = await runCli(["--only-upload", "--model-dir", models], { env: { HF_HUB_OFFLINE: value } });

      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        "Error: HF_HUB_OFFLINE is set, and an upload needs the Hub — Unset HF_HUB_OFFLINE to upload; --dry-run and --list-runs work offline\n",
      );
      expect(result.stdout).toBe("");
      expect(seen).toEqual([]);
      expect(await hashTree(run)).toEqual(before);
      expect(await readdir(result.tmpdir)).toEqual([]);
    },
  );

  it.each([
    ["--list-runs", new RegExp(`^\\* ${RUN} .* complete$`, "m")],
    ["--dry-run", /Dry run: validated and staged, nothing was sent/],
    ["--all --dry-run", new RegExp(`^${RUN} +dry-run `, "m")],
  ])("HF_HUB_OFFLINE=1 %s works without the Hub", async (flags, expected) => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models, ...flags.split(" ")], { env: { HF_HUB_OFFLINE: "1" } });

    expect(result.stderr).not.toMatch(/^Error/m);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(expected);
    expect(seen).toEqual([]);
  });

  it("HF_HUB_OFFLINE=0 is not offline", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    await runCli(["--only-upload", "--model-dir", models], { env: { HF_HUB_OFFLINE: "0" } });

    expect(seen.length).toBeGreaterThan(0);
  });
});
