import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { seededRandom } from "../helpers/random.js";
import { runCli } from "../helpers/run-cli.js";
import { buildSafetensors, type TensorSpec } from "../helpers/safetensors-builder.js";
import { decode, randomTensorBytes, readAllTensors, vecMat, vecMatT } from "../helpers/tensor-math.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { ANNOUNCEMENT } from "../helpers/announcement.js";

const REPO = `alice/${RUN}`;
const BASE = "allenai/OLMo-2-0425-1B-Instruct";

interface AdapterSpec {
  dtype: "F32" | "F16" | "BF16";
  rank: number;
  scale: number;
  modules: Array<{ path: string; inDim: number; outDim: number }>;
  dora?: boolean;
  config?: Record<string, unknown>;
}

/** Writes a run whose adapter is described exactly, in mlx's writer style. */
async function writeAdapterRun(
  models: string,
  spec: AdapterSpec,
  seed = 5,
): Promise<{ tensors: TensorSpec[]; run: string }> {
  const random = seededRandom(seed);
  const tensors: TensorSpec[] = [];
  for (const { path: modulePath, inDim, outDim } of spec.modules) {
    tensors.push({
      name: `${modulePath}.lora_a`,
      dtype: spec.dtype,
      shape: [inDim, spec.rank],
      data: randomTensorBytes(inDim * spec.rank, spec.dtype, random),
    });
    tensors.push({
      name: `${modulePath}.lora_b`,
      dtype: spec.dtype,
      shape: [spec.rank, outDim],
      data: randomTensorBytes(spec.rank * outDim, spec.dtype, random),
    });
    if (spec.dora) {
      tensors.push({
        name: `${modulePath}.m`,
        dtype: "F32",
        shape: [outDim],
        data: randomTensorBytes(outDim, "F32", random),
      });
    }
  }
  const run = path.join(models, RUN);
  await writeMlxRun(models, RUN);
  await writeFile(path.join(run, "adapters", "adapters.safetensors"), buildSafetensors(tensors, { style: "mlx" }));
  await writeFile(
    path.join(run, "adapters", "adapter_config.json"),
    JSON.stringify({
      fine_tune_type: spec.dora ? "dora" : "lora",
      lora_parameters: { rank: spec.rank, scale: spec.scale, dropout: 0.05 },
      num_layers: 2,
      model: "/Users/trainer/shared-olmo-models/base/OLMo-2-1B-Instruct-mlx-q4",
      adapter_path: "/Users/trainer/runs/adapters",
      ...spec.config,
    }),
  );
  return { tensors, run };
}

const OLMO_MODULES = [
  { path: "model.layers.14.self_attn.q_proj", inDim: 24, outDim: 24 },
  { path: "model.layers.14.self_attn.v_proj", inDim: 24, outDim: 8 },
  { path: "model.layers.15.self_attn.q_proj", inDim: 24, outDim: 24 },
  { path: "model.layers.15.mlp.down_proj", inDim: 40, outDim: 24 },
];

describe("MLX LoRA → PEFT conversion", () => {
  it.each(["F32", "F16", "BF16"] as const)(
    "%s: PEFT computes the same update as MLX (forward equivalence)",
    async (dtype) => {
      const hub = useFakeHub();
      const models = await testdir();
      const spec: AdapterSpec = { dtype, rank: 4, scale: 20, modules: OLMO_MODULES };
      const { tensors } = await writeAdapterRun(models, spec);

      const result = await runCli(["--model-dir", models]);
      // No warning: only the line announcing the upload.
      expect(result.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(ANNOUNCEMENT)]);
      expect(result.exitCode).toBe(0);

      const peft = readAllTensors(await hub.fileContent(REPO, "adapter_model.safetensors"));
      const config = JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString()) as {
        r: number;
        lora_alpha: number;
      };
      expect(peft.metadata).toEqual({ format: "pt" });
      const random = seededRandom(99);
      for (const module of OLMO_MODULES) {
        const mlxA = tensors.find((t) => t.name === `${module.path}.lora_a`);
        const mlxB = tensors.find((t) => t.name === `${module.path}.lora_b`);
        const peftA = peft.get(`base_model.model.${module.path}.lora_A.weight`);
        const peftB = peft.get(`base_model.model.${module.path}.lora_B.weight`);
        if (!mlxA || !mlxB || !peftA || !peftB) {
          throw new Error(`missing tensors for ${module.path}`);
        }
        expect(peftA.shape).toEqual([spec.rank, module.inDim]);
        expect(peftB.shape).toEqual([module.outDim, spec.rank]);
        expect(peftA.dtype).toBe(dtype);
        for (let trial = 0; trial < 3; trial++) {
          const x = Array.from({ length: module.inDim }, () => random() * 2 - 1);
          const hMlx = vecMat(x, decode(mlxA.data, dtype), module.inDim, spec.rank);
          const yMlx = vecMat(hMlx, decode(mlxB.data, dtype), spec.rank, module.outDim).map((v) => v * spec.scale);
          const hPeft = vecMatT(x, decode(peftA.bytes, dtype), spec.rank, module.inDim);
          const yPeft = vecMatT(hPeft, decode(peftB.bytes, dtype), module.outDim, spec.rank).map(
            (v) => (v * config.lora_alpha) / config.r,
          );
          yPeft.forEach((value, j) => {
            const expected = yMlx[j] ?? Number.NaN;
            expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
          });
        }
      }
    },
  );

  it("writes PEFT keys, shapes and config exactly (golden)", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeAdapterRun(models, { dtype: "F32", rank: 4, scale: 20, modules: OLMO_MODULES });

    const result = await runCli(["--model-dir", models]);
    expect(result.exitCode).toBe(0);

    const peft = readAllTensors(await hub.fileContent(REPO, "adapter_model.safetensors"));
    expect([...peft].map(([name, t]) => `${name} ${t.dtype}[${t.shape.join(",")}]`)).toEqual([
      "base_model.model.model.layers.14.self_attn.q_proj.lora_A.weight F32[4,24]",
      "base_model.model.model.layers.14.self_attn.q_proj.lora_B.weight F32[24,4]",
      "base_model.model.model.layers.14.self_attn.v_proj.lora_A.weight F32[4,24]",
      "base_model.model.model.layers.14.self_attn.v_proj.lora_B.weight F32[8,4]",
      "base_model.model.model.layers.15.mlp.down_proj.lora_A.weight F32[4,40]",
      "base_model.model.model.layers.15.mlp.down_proj.lora_B.weight F32[24,4]",
      "base_model.model.model.layers.15.self_attn.q_proj.lora_A.weight F32[4,24]",
      "base_model.model.model.layers.15.self_attn.q_proj.lora_B.weight F32[24,4]",
    ]);
    const file = await hub.fileContent(REPO, "adapter_model.safetensors");
    expect((8 + Number(file.readBigUInt64LE(0))) % 8).toBe(0);
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toEqual({
      alpha_pattern: {},
      base_model_name_or_path: BASE,
      bias: "none",
      fan_in_fan_out: false,
      inference_mode: true,
      init_lora_weights: true,
      layers_pattern: "layers",
      layers_to_transform: [14, 15],
      lora_alpha: 80,
      lora_dropout: 0.05,
      modules_to_save: null,
      peft_type: "LORA",
      r: 4,
      rank_pattern: {},
      revision: null,
      target_modules: ["down_proj", "q_proj", "v_proj"],
      task_type: "CAUSAL_LM",
      use_dora: false,
      use_rslora: false,
    });
  });

  it("keeps the original MLX adapter under mlx/, sanitized, and no local path anywhere in the repo", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const { run } = await writeAdapterRun(models, { dtype: "F32", rank: 4, scale: 20, modules: OLMO_MODULES });

    const result = await runCli(["--model-dir", models]);
    expect(result.exitCode).toBe(0);

    const original = await import("node:fs/promises").then((fs) =>
      fs.readFile(path.join(run, "adapters", "adapters.safetensors")),
    );
    expect(await hub.fileContent(REPO, "mlx/adapters.safetensors")).toEqual(original);
    const mlxConfig = JSON.parse((await hub.fileContent(REPO, "mlx/adapter_config.json")).toString()) as Record<
      string,
      unknown
    >;
    expect(mlxConfig).toMatchObject({
      fine_tune_type: "lora",
      lora_parameters: { rank: 4, scale: 20, dropout: 0.05 },
      model: BASE,
    });
    for (const file of hub.repos.get(REPO)?.files.keys() ?? []) {
      const content = (await hub.fileContent(REPO, file)).toString("latin1");
      expect(content, file).not.toMatch(/\/Users\/|\/home\/|shared-olmo-models|trainer/);
    }
    const readme = (await hub.fileContent(REPO, "README.md")).toString();
    expect(readme).toContain("library_name: peft");
    expect(readme).toContain("base_model_relation: adapter");
    expect(readme).toContain(`base_model:adapter:${BASE}`);
    expect(readme).toContain("- **lora_alpha (PEFT):** 80 (= MLX scale 20 × r)");
    expect(readme).toContain("- **Target modules:** down_proj, q_proj, v_proj");
    expect(readme).toContain(`AutoPeftModelForCausalLM.from_pretrained("${REPO}")`);
    expect(readme).toContain(`--adapter-path ${RUN}/mlx`);
    expect(hub.count("POST", /^\/api\/validate-yaml$/)).toBe(1);
  });

  it("converts DoRA: magnitudes copied to lora_magnitude_vector, use_dora true", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const { tensors } = await writeAdapterRun(models, {
      dtype: "F32",
      rank: 4,
      scale: 10,
      modules: OLMO_MODULES.slice(0, 1),
      dora: true,
    });

    const result = await runCli(["--model-dir", models]);
    expect(result.exitCode).toBe(0);

    const peft = readAllTensors(await hub.fileContent(REPO, "adapter_model.safetensors"));
    const magnitude = peft.get("base_model.model.model.layers.14.self_attn.q_proj.lora_magnitude_vector");
    expect(magnitude?.shape).toEqual([24]);
    expect(Buffer.from(magnitude?.bytes ?? [])).toEqual(
      Buffer.from(tensors.find((t) => t.name.endsWith(".m"))?.data ?? []),
    );
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toMatchObject({
      use_dora: true,
      lora_alpha: 40,
    });
  });

  it("maps embedding LoRA to lora_embedding_A/B and leaves layers_to_transform out", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeAdapterRun(models, {
      dtype: "F32",
      rank: 2,
      scale: 20,
      modules: [
        { path: "model.embed_tokens", inDim: 50, outDim: 16 },
        { path: "model.layers.0.self_attn.q_proj", inDim: 16, outDim: 16 },
      ],
    });

    const result = await runCli(["--model-dir", models]);
    expect(result.exitCode).toBe(0);

    const peft = readAllTensors(await hub.fileContent(REPO, "adapter_model.safetensors"));
    expect(peft.get("base_model.model.model.embed_tokens.lora_embedding_A")?.shape).toEqual([2, 50]);
    expect(peft.get("base_model.model.model.embed_tokens.lora_embedding_B")?.shape).toEqual([16, 2]);
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toMatchObject({
      target_modules: ["embed_tokens", "q_proj"],
      layers_to_transform: null,
      layers_pattern: null,
    });
  });

  it("uses relative module paths when two different modules share a leaf name", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeAdapterRun(models, {
      dtype: "F32",
      rank: 2,
      scale: 20,
      modules: [
        { path: "model.layers.0.self_attn.gate", inDim: 8, outDim: 8 },
        { path: "model.layers.0.mlp.gate", inDim: 8, outDim: 8 },
        { path: "model.layers.0.mlp.up_proj", inDim: 8, outDim: 8 },
      ],
    });
    expect((await runCli(["--model-dir", models])).exitCode).toBe(0);
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toMatchObject({
      target_modules: ["mlp.gate", "self_attn.gate", "up_proj"],
    });
  });

  it("handles legacy alpha scaling only when told which mlx-lm wrote it", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeAdapterRun(models, {
      dtype: "F32",
      rank: 8,
      scale: 10,
      modules: OLMO_MODULES.slice(0, 1),
      config: {
        lora_layers: 16,
        num_layers: undefined,
        fine_tune_type: undefined,
        lora_parameters: { rank: 8, alpha: 16, scale: 10, dropout: 0 },
      },
    });

    const ambiguous = await runCli(["--model-dir", models]);
    expect(ambiguous.exitCode).toBe(3);
    expect(ambiguous.stderr).toContain("Pass --mlx-lora-scaling legacy or modern");

    const legacy = await runCli(["--model-dir", models, "--mlx-lora-scaling", "legacy"]);
    expect(legacy.exitCode).toBe(0);
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toMatchObject({
      r: 8,
      lora_alpha: 160,
    });
    const modern = await runCli(["--model-dir", models, "--mlx-lora-scaling", "modern"]);
    expect(modern.exitCode).toBe(0);
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toMatchObject({
      r: 8,
      lora_alpha: 80,
    });
  });
});

describe("MLX adapter validation", () => {
  async function expectInvalid(
    spec: Partial<AdapterSpec>,
    edit: ((run: string) => Promise<void>) | undefined,
    messages: RegExp[],
    extraArgs: string[] = [],
  ): Promise<void> {
    const seen = recordAllRequests();
    const models = await testdir();
    const { run } = await writeAdapterRun(models, {
      dtype: "F32",
      rank: 4,
      scale: 20,
      modules: OLMO_MODULES.slice(0, 2),
      ...spec,
    });
    await edit?.(run);
    const result = await runCli(["--model-dir", models, ...extraArgs]);
    expect(result.exitCode).toBe(3);
    for (const message of messages) {
      expect(result.stderr).toMatch(message);
    }
    expect(seen).toEqual([]);
  }
  const rewriteTensors = (tensors: TensorSpec[]) => async (run: string) => {
    await writeFile(path.join(run, "adapters", "adapters.safetensors"), buildSafetensors(tensors, { style: "mlx" }));
  };
  const f32 = (name: string, shape: number[], fill = 0.5): TensorSpec => ({
    name,
    dtype: "F32",
    shape,
    data: new Uint8Array(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill).buffer),
  });

  it("refuses fine_tune_type full with advice to fuse", async () => {
    await expectInvalid({ config: { fine_tune_type: "full", lora_parameters: null } }, undefined, [
      /fine_tune_type is full.*mlx_lm\.fuse/,
    ]);
  });

  it("reports config and tensor problems together", async () => {
    await expectInvalid(
      { config: { lora_parameters: { rank: 8, scale: 20, dropout: 0 } } },
      rewriteTensors([
        f32("model.layers.0.q_proj.lora_a", [8, 4]),
        f32("model.layers.0.q_proj.lora_b", [4, 8]),
        f32("model.layers.1.q_proj.lora_a", [8, 4]),
        f32("model.layers.1.k_proj.lora_b", [4, 8]),
        { name: "model.layers.2.q_proj.lora_a", dtype: "I32", shape: [8, 4], data: new Uint8Array(128) },
        { name: "model.layers.2.q_proj.lora_b", dtype: "I32", shape: [4, 8], data: new Uint8Array(128) },
        f32("model.norm.weight", [8]),
      ]),
      [
        /adapters\/adapter_config\.json: lora_parameters\.rank is 8 but the tensors have rank 4/,
        /model\.layers\.1\.q_proj has lora_a but no lora_b/,
        /model\.layers\.1\.k_proj has lora_b but no lora_a/,
        /model\.layers\.2\.q_proj\.lora_a has dtype I32/,
        /unexpected tensor model\.norm\.weight/,
      ],
    );
  });

  it("refuses mixture-of-experts switch layers", async () => {
    await expectInvalid(
      {},
      rewriteTensors([
        f32("model.layers.0.mlp.switch_mlp.up_proj.lora_a", [4, 4, 8]),
        f32("model.layers.0.mlp.switch_mlp.up_proj.lora_b", [4, 8, 4]),
      ]),
      [/mixture-of-experts \(SwitchLinear\)/],
    );
  });

  it("refuses mismatched rank dimensions and wrong DoRA magnitudes", async () => {
    await expectInvalid(
      { dora: true },
      rewriteTensors([
        f32("model.layers.0.q_proj.lora_a", [8, 4]),
        f32("model.layers.0.q_proj.lora_b", [2, 8]),
        f32("model.layers.0.v_proj.lora_a", [8, 4]),
        f32("model.layers.0.v_proj.lora_b", [4, 8]),
        f32("model.layers.0.v_proj.m", [7]),
      ]),
      [/q_proj: lora_a is \[8, 4\] but lora_b is \[2, 8\]/, /v_proj\.m must have shape \[8\], got \[7\]/],
    );
  });

  it("refuses NaN/Inf values, naming the tensor", async () => {
    await expectInvalid(
      {},
      rewriteTensors([
        f32("model.layers.0.q_proj.lora_a", [8, 4], Number.NaN),
        f32("model.layers.0.q_proj.lora_b", [4, 8], Infinity),
      ]),
      [
        /model\.layers\.0\.q_proj\.lora_a has 32 NaN\/Inf values/,
        /model\.layers\.0\.q_proj\.lora_b has 32 NaN\/Inf values/,
      ],
    );
  });

  it("refuses an untrained adapter (every lora_b zero) unless --allow-untrained", async () => {
    const tensors = [f32("model.layers.0.q_proj.lora_a", [8, 4]), f32("model.layers.0.q_proj.lora_b", [4, 8], -0)];
    await expectInvalid({}, rewriteTensors(tensors), [/every lora_b is all zeros.*--allow-untrained/]);

    useFakeHub();
    const models = await testdir();
    const { run } = await writeAdapterRun(models, { dtype: "F32", rank: 4, scale: 20, modules: [] });
    await rewriteTensors(tensors)(run);
    const allowed = await runCli(["--model-dir", models, "--allow-untrained"]);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stderr).toContain("uploading anyway (--allow-untrained)");
  });

  it("refuses a local path as the only base model, with the fix", async () => {
    const models = await testdir();
    await writeAdapterRun(models, { dtype: "F32", rank: 4, scale: 20, modules: OLMO_MODULES.slice(0, 1) });
    const config = await testdir({ "c.yaml": "huggingface:\n  base_model_hf_id: null\n" });
    const result = await runCli(["--model-dir", models, "--config", path.join(config, "c.yaml")]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("no Hub id for the base model");
    expect(result.stderr).toContain("set huggingface.base_model_hf_id in the config or pass --base-model");

    const hub = useFakeHub();
    const fixed = await runCli([
      "--model-dir",
      models,
      "--config",
      path.join(config, "c.yaml"),
      "--base-model",
      "allenai/OLMo-2-0425-1B",
    ]);
    expect(fixed.exitCode).toBe(0);
    expect(JSON.parse((await hub.fileContent(REPO, "adapter_config.json")).toString())).toMatchObject({
      base_model_name_or_path: "allenai/OLMo-2-0425-1B",
    });
  });

  it("rejects a --base-model that is not a Hub id", async () => {
    const models = await testdir();
    await writeAdapterRun(models, { dtype: "F32", rank: 4, scale: 20, modules: OLMO_MODULES.slice(0, 1) });
    const result = await runCli(["--model-dir", models, "--base-model", "/Users/me/OLMo"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--base-model must be a Hub model id");
  });
});

/** The Hub's answer to a card whose metadata it refuses: the problems as `errors: [{message}]`. */
function refuseCard(request: Request): Response | undefined {
  const message = '"license" must be one of [apache-2.0, mit, ...]';
  return new URL(request.url).pathname === "/api/validate-yaml"
    ? new Response(JSON.stringify({ error: "Invalid metadata", errors: [{ message }] }), {
        status: 400,
        headers: { "content-type": "application/json" },
      })
    : undefined;
}

describe("model card check with the Hub", () => {
  it("a card the Hub rejects fails in seconds, before any weights are sent", async () => {
    const hub = useFakeHub({ intercept: refuseCard });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('README.md: the Hub rejects the model card metadata: "license" must be one of');
    expect(hub.count("PUT", /./)).toBe(0);
    expect(hub.count("POST", /\/commit\//)).toBe(0);
    // The repo was created alongside the lookup; refused before its commit, it is deleted again.
    expect(hub.count("POST", /^\/api\/repos\/create$/)).toBe(1);
    expect(result.stderr).toContain(`README.md: the empty repo ${REPO} created for this upload was deleted again`);
    expect(hub.repos.has(REPO)).toBe(false);
  });

  it("says so when the repo created for a refused card cannot be deleted", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname === "/api/repos/delete"
          ? new Response("forbidden", { status: 403 })
          : refuseCard(request),
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      `README.md: the empty repo ${REPO} created for this upload could not be deleted: delete it at https://hub.test/${REPO}/settings`,
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(0);
  });

  it("a card refused for a repo that already existed leaves the repo alone", async () => {
    const hub = useFakeHub({ intercept: refuseCard });
    hub.addRepo({ id: REPO });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).not.toContain("created for this upload");
    expect(hub.count("DELETE", /./)).toBe(0);
    expect(hub.repos.has(REPO)).toBe(true);
  });

  it("the Hub's warnings about the card are shown as its messages, and the upload goes on", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname === "/api/validate-yaml"
          ? new Response(JSON.stringify({ warnings: [{ message: "the license link is not reachable" }] }), {
              headers: { "content-type": "application/json" },
            })
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("Warning: Hub metadata check: the license link is not reachable\n");
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
  });

  it("an unavailable validation endpoint is only a warning", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname === "/api/validate-yaml" ? new Response("not found", { status: 404 }) : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "Warning: Could not check the model card with the Hub (the Hub answered 404); uploading anyway",
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
  });
});
