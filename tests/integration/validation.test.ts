import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeFusedRun, writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { buildSafetensors } from "../helpers/safetensors-builder.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";

describe("validation before any network traffic", () => {
  it("a run without model artifacts is incomplete: exit 4 when picked as the newest, no request, run untouched", async () => {
    const seen = recordAllRequests();
    const models = await testdir({ [`${RUN}/random_file.txt`]: "junk", [`${RUN}/irrelevant.json`]: "{}" });
    const before = await hashTree(models);

    const result = await runCli(["--only-upload", "--model-dir", models]);

    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`Error: No complete run in ${models} (--model-dir): 1 incomplete run seen`);
    expect(result.stderr).toContain(`  - ${RUN}: the run folder holds no model`);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(seen).toEqual([]);
    expect(await hashTree(models)).toEqual(before);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it("reports every problem at once", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    // 1. adapter weights truncated, 2. broken JSON elsewhere, 3. an LFS pointer instead of weights, 4. a symlink out of the run.
    const weights = path.join(run, "adapters", "adapters.safetensors");
    const full = await import("node:fs/promises").then((fs) => fs.readFile(weights));
    await writeFile(weights, full.subarray(0, full.length - 10));
    await writeFile(path.join(run, "training_metadata.json"), "{ not json");
    await writeFile(
      path.join(run, "extra.safetensors"),
      "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n",
    );
    const outside = await testdir({ "secret.txt": "outside" });
    await import("node:fs/promises").then((fs) =>
      fs.symlink(path.join(outside, "secret.txt"), path.join(run, "linked.txt")),
    );

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("(4 problems)");
    expect(result.stderr).toMatch(
      /- adapters\/adapters\.safetensors: truncated: tensors need \d+ bytes but the file has \d+/,
    );
    expect(result.stderr).toMatch(/- training_metadata\.json: invalid JSON/);
    expect(result.stderr).toMatch(/- extra\.safetensors: git-LFS pointer file/);
    expect(result.stderr).toMatch(/- linked\.txt: symbolic link points outside the run/);
    expect(seen).toEqual([]);
  });

  it("a run without model artifacts named with --run fails validation: exit 3", async () => {
    const seen = recordAllRequests();
    const models = await testdir({ [`${RUN}/random_file.txt`]: "junk" });

    const result = await runCli(["--model-dir", models, "--run", RUN]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`Error: Run ${RUN} is incomplete`);
    expect(result.stderr).toContain("  - (run folder): the run folder holds no model");
    expect(seen).toEqual([]);
  });

  it("catches a half-written MLX run (weights without adapter_config.json)", async () => {
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    await import("node:fs/promises").then((fs) => fs.rm(path.join(run, "adapters", "adapter_config.json")));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(
      "adapters/adapter_config.json is missing: MLX adapters need adapter_config.json next to adapters.safetensors",
    );
  });

  it("says training did not finish when only checkpoints exist", async () => {
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { checkpoint: true });
    await import("node:fs/promises").then((fs) => fs.rm(path.join(run, "adapters", "adapters.safetensors")));

    const result = await runCli(["--model-dir", models, "--run", RUN]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("only intermediate checkpoints");
  });

  it("checks that a sharded model's index matches its shards", async () => {
    const models = await testdir();
    const run = await writeFusedRun(path.join(models, RUN), { shards: 3 });
    await import("node:fs/promises").then((fs) => fs.rm(path.join(run, "model-00002-of-00003.safetensors")));
    const index = JSON.parse(
      await import("node:fs/promises").then((fs) =>
        fs.readFile(path.join(run, "model.safetensors.index.json"), "utf8"),
      ),
    ) as {
      weight_map: Record<string, string>;
    };
    index.weight_map["model.layers.0.mlp.down_proj.weight"] = "model-00003-of-00003.safetensors";
    await writeFile(path.join(run, "model.safetensors.index.json"), JSON.stringify(index));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("model-00002-of-00003.safetensors: missing shard 2 of 3");
    expect(result.stderr).toContain("weight_map names model-00002-of-00003.safetensors, which does not exist");
    expect(result.stderr).toContain(
      "tensor model.layers.0.mlp.down_proj.weight is mapped to model-00003-of-00003.safetensors",
    );
  });

  it("rejects safetensors whose header disagrees with the file size", async () => {
    const models = await testdir();
    const bad = buildSafetensors([{ name: "w", dtype: "F32", shape: [2, 2], data: new Uint8Array(16) }], {
      style: "pt",
    });
    await writeFusedRun(path.join(models, RUN));
    await writeFile(path.join(models, RUN, "model.safetensors"), Buffer.concat([bad, Buffer.from([1, 2, 3])]));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("model.safetensors: 3 unexpected bytes after the last tensor");
  });
});

describe("fused model checks", () => {
  it("requires model_type, a complete tokenizer, and a known safetensors format", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeFusedRun(path.join(models, RUN));
    await writeFile(path.join(run, "config.json"), JSON.stringify({ architectures: ["Olmo2ForCausalLM"] }));
    await import("node:fs/promises").then((fs) => fs.rm(path.join(run, "tokenizer.json")));
    const weights = buildSafetensors([{ name: "w", dtype: "F32", shape: [2], data: new Uint8Array(8) }], {
      style: "pt",
      metadata: { format: "np" },
    });
    await writeFile(path.join(run, "model.safetensors"), weights);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("(3 problems)");
    expect(result.stderr).toContain("fused model without a complete tokenizer: missing one of tokenizer.json");
    expect(result.stderr).toContain("config.json: has no model_type");
    expect(result.stderr).toContain('model.safetensors: __metadata__.format is "np"');
    expect(seen).toEqual([]);
  });

  it("labels a quantized MLX model library_name: mlx and warns about a missing chat template", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeFusedRun(path.join(models, RUN));
    await writeFile(
      path.join(run, "config.json"),
      JSON.stringify({
        architectures: ["Olmo2ForCausalLM"],
        model_type: "olmo2",
        quantization: { group_size: 64, bits: 4 },
      }),
    );

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Warning: the tokenizer has no chat template");
    const readme = (await hub.fileContent(`alice/${RUN}`, "README.md")).toString();
    expect(readme).toContain("library_name: mlx");
    expect(readme).toContain("base_model_relation: finetune");
  });

  it("labels an unquantized fused model library_name: transformers", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeFusedRun(path.join(models, RUN), { shards: 2 });
    expect((await runCli(["--model-dir", models])).exitCode).toBe(0);
    expect((await hub.fileContent(`alice/${RUN}`, "README.md")).toString()).toContain("library_name: transformers");
  });
});
