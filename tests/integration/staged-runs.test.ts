import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { writeStagedRun } from "../helpers/make-staged-run.js";
import { runCli } from "../helpers/run-cli.js";
import { readAllTensors } from "../helpers/tensor-math.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { STAGED_RUN as RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const OLDER = "webauthn-security-sequential-20251014_090000";

function frontMatter(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  return (match ? load(match[1] ?? "") : {}) as Record<string, unknown>;
}

/** Transposes a row-major F32 matrix, independently of the code under test. */
function transposeF32(bytes: Uint8Array, rows: number, cols: number): Uint8Array {
  const from = new Float32Array(new Uint8Array(bytes).buffer);
  const to = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      to[c * rows + r] = from[r * cols + c] ?? 0;
    }
  }
  return new Uint8Array(to.buffer);
}

describe("runs written by the pipeline's run manager (run-manifest.json)", () => {
  it("v2.0: publishes stage 2's adapters as bit-exact PEFT (MLX original under mlx/), not stage 1, not the data", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, RUN, { evaluation: true });
    const before = await hashTree(run);

    const result = await runCli(["--only-upload", "--model-dir", models, "--no-datasets"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`📋 Staged run: publishing ${run}/stage2/adapters`);
    expect(result.stdout).toContain(`✅ Model uploaded successfully: https://hub.test/alice/${RUN}`);
    const repo = hub.repos.get(`alice/${RUN}`);
    expect([...(repo?.files.keys() ?? [])].sort()).toEqual([
      ".gitattributes",
      "README.md",
      "adapter_config.json",
      "adapter_model.safetensors",
      "mlx/adapter_config.json",
      "mlx/adapters.safetensors",
      "training_metadata.json",
    ]);
    const stage2 = await readFile(path.join(run, "stage2", "adapters", "adapters.safetensors"));
    expect(await hub.fileContent(`alice/${RUN}`, "mlx/adapters.safetensors")).toEqual(stage2);
    const mlx = readAllTensors(stage2);
    const peft = readAllTensors(await hub.fileContent(`alice/${RUN}`, "adapter_model.safetensors"));
    const a = mlx.get("model.layers.14.self_attn.q_proj.lora_a");
    const peftA = peft.get("base_model.model.model.layers.14.self_attn.q_proj.lora_A.weight");
    expect(a?.shape).toEqual([32, 8]);
    expect(peftA?.shape).toEqual([8, 32]);
    expect(Buffer.from(peftA?.bytes ?? [])).toEqual(Buffer.from(transposeF32(a?.bytes ?? new Uint8Array(), 32, 8)));
    // Stage 1 trained with another seed: its tensors must not be what was published.
    const stage1 = readAllTensors(await readFile(path.join(run, "stage1", "adapters", "adapters.safetensors")));
    expect(stage1.get("model.layers.14.self_attn.q_proj.lora_a")?.bytes).not.toEqual(a?.bytes);

    const card = (await hub.fileContent(`alice/${RUN}`, "README.md")).toString();
    expect(card).toContain("## Training stages");
    expect(card).toContain("trained in 2 stages (stage1 → stage2)");
    // The manifest's figure is shown as recorded, marked where stage 2's own adapter config says otherwise.
    expect(card).toContain("| training_params.learning_rate | 0.000001 (its adapter_config.json says 0.0002) |");
    expect(card).toContain("| dataset_stats.stage1_replay_examples | 1 |");
    expect(card).toContain(
      "| stage2: stage2/evaluation/evaluation_results.json: metrics.exact_match_percentage | 50 |",
    );
    expect(card).toContain(
      "| stage1: stage1/evaluation/evaluation_results.json: metrics.exact_match_percentage | 25 |",
    );
    expect(card).not.toContain("/Users/");
    expect(card).toContain("- **Trained on:** `OLMo-2-1B-Instruct-mlx-q4` (4-bit quantized, as its name says)");
    expect(frontMatter(card)).not.toHaveProperty("datasets");
    expect(await hashTree(run)).toEqual(before);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it("skips a newer run that is still training and publishes the newest complete one, with one warning", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN, { stage2Training: true });
    await writeStagedRun(models, OLDER);

    const result = await runCli(["--model-dir", models, "--no-datasets"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([
      `Warning: Skipped ${RUN}: incomplete (stage2/adapters/adapters.safetensors is missing: only intermediate checkpoints (NNNNNNN_adapters.safetensors) exist; did training finish?)`,
      expect.stringMatching(new RegExp(`^Publishing ${OLDER} to alice/${OLDER} \\(\\d+ files, [^)]+\\)$`)),
    ]);
    expect(result.stdout).toContain(`🎯 Found fine-tuned model directory: ${path.join(models, OLDER)}`);
    expect([...hub.repos.keys()]).toEqual([`alice/${OLDER}`]);
  });

  it("--run of an incomplete run: exit 3 with what is missing; no complete run at all: exit 4 naming each", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeStagedRun(models, RUN, { stage2Training: true });
    await writeStagedRun(models, OLDER, { stage2Training: true });

    const named = await runCli(["--model-dir", models, "--run", RUN]);
    const newest = await runCli(["--model-dir", models]);

    expect(named.exitCode).toBe(3);
    expect(named.stderr).toContain(`Error: Run ${RUN} is incomplete`);
    expect(named.stderr).toContain("stage2/adapters/adapters.safetensors is missing");
    expect(newest.exitCode).toBe(4);
    expect(newest.stderr).toContain(`Error: No complete run in ${models} (--model-dir): 2 incomplete runs seen`);
    expect(newest.stderr).toContain(`  - ${RUN}: stage2/adapters/adapters.safetensors is missing`);
    expect(newest.stderr).toContain(`  - ${OLDER}: stage2/adapters/adapters.safetensors is missing`);
    expect(seen).toEqual([]);
  });

  it("publishes the final model when the manifest's final_model_path holds a complete fused model (v1.0 layout)", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, "webauthn-security-20250929_120000", {
      version: "1.0",
      fusedFinalModel: true,
    });

    const result = await runCli(["--model-dir", models, "--no-datasets"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${run}/stage2/final-model`);
    const files = [...(hub.repos.get("alice/webauthn-security-20250929_120000")?.files.keys() ?? [])].sort();
    expect(files).toEqual([
      ".gitattributes",
      "README.md",
      "config.json",
      "model.safetensors",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
  });

  it("finds v1.0 single-stage runs in training-runs/ and reads their top-level adapters_path", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const name = "webauthn-security-20251006_112442";
    const run = await writeMlxRun(path.join(models, "training-runs"), name);
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(
        path.join(run, "run-manifest.json"),
        JSON.stringify({
          version: "1.0",
          run_id: name,
          timestamp: "2025-10-06T11:24:42",
          base_model: "OLMo-2-1B-Instruct-mlx-q4",
          training_params: {},
          adapters_path: "./adapters",
          training_data_path: "./training-data",
          evaluation_results_path: "./evaluation",
        }),
      ),
    );

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${run}/adapters`);
    expect(hub.repos.get(`alice/${name}`)?.files.has("adapter_model.safetensors")).toBe(true);
  });

  it.each([
    ["../other-run/adapters", "points outside the run folder"],
    ["/Users/trainer/adapters", "must be relative to the run folder"],
  ])("refuses a manifest path %s: exit 3, nothing read outside, no request", async (adapters, message) => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeStagedRun(models, RUN, {
      manifest: (manifest) => ({
        ...manifest,
        stage2: { ...(manifest.stage2 as Record<string, unknown>), adapters_path: adapters },
      }),
    });
    await writeStagedRun(models, OLDER);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`Error: Run ${RUN} failed validation`);
    expect(result.stderr).toContain(`- run-manifest.json: stage2.adapters_path is "${adapters}"`);
    expect(result.stderr).toContain(message);
    expect(seen).toEqual([]);
  });

  it("--list-runs shows each run's status and layout", async () => {
    const models = await testdir();
    await writeStagedRun(models, RUN, { stage2Training: true });
    await writeStagedRun(models, OLDER);

    const result = await runCli(["--model-dir", models, "--list-runs", "--json"]);

    expect(result.exitCode, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as {
      runs: Array<{ name: string; status: string; layout: string; problems: Array<{ file: string; message: string }> }>;
    };
    expect(listed.runs.map(({ name, status, layout }) => ({ name, status, layout }))).toEqual([
      { name: RUN, status: "incomplete", layout: "staged" },
      { name: OLDER, status: "complete", layout: "staged" },
    ]);
    expect(listed.runs[0]?.problems[0]).toEqual({
      file: "stage2/adapters/adapters.safetensors",
      message: expect.stringContaining("stage2/adapters/adapters.safetensors is missing") as string,
    });
    expect(listed.runs[1]?.problems).toEqual([]);
  });

  it("an unchanged re-run of a staged run makes no commit", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN);

    const first = await runCli(["--model-dir", models, "--no-datasets"]);
    const second = await runCli(["--model-dir", models, "--no-datasets"], { home: first.home });

    expect(first.exitCode, first.stderr).toBe(0);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain("✅ Already up to date");
    expect(commitsAfterInitial(hub.repos.get(`alice/${RUN}`))).toHaveLength(1);
  });
});
