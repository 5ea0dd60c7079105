import { describe, expect, it } from "vitest";
import type { TensorInfo } from "../safetensors/parse-safetensors-header.js";
import { planPeftConversion, type MlxScaling, type PeftPlan, type PlannedTensor } from "./plan-peft-conversion.js";
import type { MlxAdapterConfig } from "./read-mlx-adapter-config.js";

const WEIGHTS = "adapters/adapters.safetensors";
const CONFIG = "adapters/adapter_config.json";
const BASE = "allenai/OLMo-2-0425-1B-Instruct";
const LORA: MlxAdapterConfig = {
  fineTuneType: "lora",
  rank: 8,
  scale: 20,
  dropout: 0.05,
  numLayers: undefined,
  legacyAlpha: undefined,
  model: undefined,
  settings: [],
};
const DORA: MlxAdapterConfig = { ...LORA, fineTuneType: "dora" };

function tensor(name: string, shape: number[], dtype = "F32"): TensorInfo {
  return { name, dtype, shape, begin: 0, end: shape.reduce((a, b) => a * b, 4) };
}

/** mlx-lm's LoRALinear: lora_a is [in, r], lora_b is [r, out]. */
function lora(path: string, inDim: number, r: number, outDim: number, dtype = "F32"): TensorInfo[] {
  return [tensor(`${path}.lora_a`, [inDim, r], dtype), tensor(`${path}.lora_b`, [r, outDim], dtype)];
}

function plan(
  tensors: TensorInfo[],
  options: { config?: MlxAdapterConfig; baseModel?: string | undefined; scaling?: MlxScaling } = {},
): ReturnType<typeof planPeftConversion> {
  return planPeftConversion({
    config: options.config ?? LORA,
    tensors,
    weightsFile: WEIGHTS,
    configFile: CONFIG,
    baseModel: "baseModel" in options ? options.baseModel : BASE,
    scaling: options.scaling,
  });
}

const planned = (
  name: string,
  source: TensorInfo | undefined,
  role: PlannedTensor["role"],
  shape: number[],
): PlannedTensor => ({
  name,
  dtype: (source?.dtype ?? "F32") as PlannedTensor["dtype"],
  shape,
  source: source ?? expect.fail(`no source for ${name}`),
  transpose: role !== "magnitude",
  role,
});

describe("planPeftConversion: the plan", () => {
  it("transposes both matrices, prefixes the keys, and sets lora_alpha = scale × r", () => {
    const tensors = [
      ...lora("model.layers.1.self_attn.v_proj", 64, 8, 32, "BF16"),
      ...lora("model.layers.0.self_attn.q_proj", 64, 8, 64, "F16"),
      ...lora("model.layers.1.self_attn.q_proj", 64, 8, 64, "F16"),
    ];
    const [v_a, v_b, q0_a, q0_b, q1_a, q1_b] = tensors;
    expect(plan(tensors)).toEqual({
      issues: [],
      plan: {
        tensors: [
          planned("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", q0_a, "A", [8, 64]),
          planned("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", q0_b, "B", [64, 8]),
          planned("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight", q1_a, "A", [8, 64]),
          planned("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight", q1_b, "B", [64, 8]),
          planned("base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight", v_a, "A", [8, 64]),
          planned("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight", v_b, "B", [32, 8]),
        ],
        summary: { r: 8, alpha: 160, dropout: 0.05, targetModules: ["q_proj", "v_proj"], layers: [0, 1], dora: false },
        config: {
          alpha_pattern: {},
          base_model_name_or_path: BASE,
          bias: "none",
          fan_in_fan_out: false,
          inference_mode: true,
          init_lora_weights: true,
          layers_pattern: "layers",
          layers_to_transform: [0, 1],
          lora_alpha: 160,
          lora_dropout: 0.05,
          modules_to_save: null,
          peft_type: "LORA",
          r: 8,
          rank_pattern: {},
          revision: null,
          target_modules: ["q_proj", "v_proj"],
          task_type: "CAUSAL_LM",
          use_dora: false,
          use_rslora: false,
        },
      } satisfies PeftPlan,
    });
  });

  it("plans DoRA's magnitude vector as it is, next to the transposed matrices", () => {
    const tensors = [...lora("model.layers.0.mlp.down_proj", 16, 4, 8), tensor("model.layers.0.mlp.down_proj.m", [8])];
    const [a, b, m] = tensors;
    const result = plan(tensors, { config: { ...DORA, rank: 4 } });
    expect(result.issues).toEqual([]);
    expect(result.plan?.tensors).toEqual([
      planned("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight", a, "A", [4, 16]),
      planned("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight", b, "B", [8, 4]),
      planned("base_model.model.model.layers.0.mlp.down_proj.lora_magnitude_vector", m, "magnitude", [8]),
    ]);
    expect(result.plan?.summary.dora).toBe(true);
    expect(result.plan?.config.use_dora).toBe(true);
  });

  // Llama/OLMo, GPT-2, BLOOM and GPT-NeoX name their token embeddings differently.
  it.each(["model.embed_tokens", "transformer.wte", "transformer.word_embeddings", "gpt_neox.embed_in"])(
    "names embedding LoRA as PEFT does: %s",
    (path) => {
      const tensors = lora(path, 100, 8, 16);
      expect(plan(tensors).plan?.tensors.map((entry) => [entry.name, entry.shape])).toEqual([
        [`base_model.model.${path}.lora_embedding_A`, [8, 100]],
        [`base_model.model.${path}.lora_embedding_B`, [16, 8]],
      ]);
    },
  );

  it("stores the tensors in PEFT name order, even where module order differs", () => {
    // "mlp" sorts before "mlp.gate_proj" and "q-proj" after "q", but their PEFT names sort the other way.
    const paths = ["model.layers.0.mlp", "model.layers.0.mlp.gate_proj", "model.layers.0.q", "model.layers.0.q-proj"];
    const names = plan(paths.flatMap((path) => lora(path, 16, 8, 16))).plan?.tensors.map((entry) => entry.name);
    expect(names).toEqual([
      "base_model.model.model.layers.0.mlp.gate_proj.lora_A.weight",
      "base_model.model.model.layers.0.mlp.gate_proj.lora_B.weight",
      "base_model.model.model.layers.0.mlp.lora_A.weight",
      "base_model.model.model.layers.0.mlp.lora_B.weight",
      "base_model.model.model.layers.0.q-proj.lora_A.weight",
      "base_model.model.model.layers.0.q-proj.lora_B.weight",
      "base_model.model.model.layers.0.q.lora_A.weight",
      "base_model.model.model.layers.0.q.lora_B.weight",
    ]);
  });

  it.each<[string, string[], string[], number[] | null]>([
    [
      "one leaf per module",
      ["model.layers.0.self_attn.q_proj", "model.layers.0.mlp.up_proj"],
      ["q_proj", "up_proj"],
      [0],
    ],
    [
      "a leaf in two places is named by its path in the layer",
      ["model.layers.0.attn.out_proj", "model.layers.0.mlp.out_proj", "model.layers.1.mlp.out_proj"],
      ["attn.out_proj", "mlp.out_proj"],
      [0, 1],
    ],
    ["layers in number order", ["model.layers.10.q_proj", "model.layers.2.q_proj"], ["q_proj"], [2, 10]],
    ["layers without a prefix", ["layers.3.q_proj"], ["q_proj"], [3]],
    ["a module outside the layers: no layer list", ["model.layers.0.q_proj", "lm_head"], ["lm_head", "q_proj"], null],
    ["a name that only ends in layers", ["model.sublayers.0.q_proj"], ["q_proj"], null],
  ])("target modules and layers: %s", (_name, paths, targetModules, layers) => {
    const result = plan(paths.flatMap((path) => lora(path, 16, 8, 16)));
    expect(result.plan?.summary).toMatchObject({ targetModules, layers });
    expect(result.plan?.config).toMatchObject({
      target_modules: targetModules,
      layers_to_transform: layers,
      layers_pattern: layers === null ? null : "layers",
    });
  });

  it.each<[string, Partial<MlxAdapterConfig>, MlxScaling | undefined, number]>([
    ["modern: scale × r", {}, undefined, 160],
    ["an integer product stays exact", { scale: 2 }, undefined, 16],
    ["a fractional product, rounded to 12 digits", { scale: 0.1, rank: 3 }, undefined, 0.3],
    ["legacy, told modern", { legacyAlpha: 16 }, "modern", 160],
    ["legacy, told legacy: scale × alpha", { legacyAlpha: 16 }, "legacy", 320],
    ["legacy told without a legacy alpha is modern", {}, "legacy", 160],
  ])("lora_alpha: %s", (_name, config, scaling, alpha) => {
    const rank = config.rank ?? 8;
    const result = plan(lora("model.layers.0.q_proj", 16, rank, 16), { config: { ...LORA, ...config }, scaling });
    expect(result.issues).toEqual([]);
    expect(result.plan?.summary.alpha).toBe(alpha);
    expect(result.plan?.config.lora_alpha).toBe(alpha);
  });
});

describe("planPeftConversion: what it refuses", () => {
  const q = "model.layers.0.q_proj";
  const weightsIssue = (message: string): { file: string; message: string } => ({ file: WEIGHTS, message });
  const configIssue = (message: string): { file: string; message: string } => ({ file: CONFIG, message });

  it.each<[string, TensorInfo[], Parameters<typeof plan>[1], Array<{ file: string; message: string }>]>([
    ["no tensors", [], {}, [weightsIssue("holds no LoRA tensors")]],
    [
      "a tensor that is not LoRA",
      [...lora(q, 16, 8, 16), tensor("model.layers.0.q_proj.weight", [16, 16])],
      {},
      [
        weightsIssue(
          "unexpected tensor model.layers.0.q_proj.weight: MLX adapters hold only <module>.lora_a, <module>.lora_b (and <module>.m for DoRA)",
        ),
      ],
    ],
    [
      "a tensor whose last part only starts like a LoRA part",
      [...lora(q, 16, 8, 16), tensor("model.layers.0.q_proj.mask", [16])],
      {},
      [
        weightsIssue(
          "unexpected tensor model.layers.0.q_proj.mask: MLX adapters hold only <module>.lora_a, <module>.lora_b (and <module>.m for DoRA)",
        ),
      ],
    ],
    [
      "a tensor name with a line break",
      [...lora(q, 16, 8, 16), tensor("evil\nmodel.layers.1.q_proj.lora_a", [16, 8])],
      {},
      [
        weightsIssue(
          "unexpected tensor evil\nmodel.layers.1.q_proj.lora_a: MLX adapters hold only <module>.lora_a, <module>.lora_b (and <module>.m for DoRA)",
        ),
      ],
    ],
    [
      "only tensors that are not LoRA",
      [tensor("lm_head.weight", [4, 4])],
      {},
      [
        weightsIssue(
          "unexpected tensor lm_head.weight: MLX adapters hold only <module>.lora_a, <module>.lora_b (and <module>.m for DoRA)",
        ),
      ],
    ],
    [
      "an integer dtype",
      lora(q, 16, 8, 16, "I32"),
      {},
      [
        weightsIssue(`${q}.lora_a has dtype I32; only F32, F16 and BF16 adapters can be converted`),
        weightsIssue(`${q}.lora_b has dtype I32; only F32, F16 and BF16 adapters can be converted`),
      ],
    ],
    [
      "lora_a alone, then lora_b alone, in module order",
      [tensor("model.layers.1.q_proj.lora_b", [8, 16]), tensor("model.layers.0.q_proj.lora_a", [16, 8])],
      {},
      [
        weightsIssue("model.layers.0.q_proj has lora_a but no lora_b"),
        weightsIssue("model.layers.1.q_proj has lora_b but no lora_a"),
      ],
    ],
    [
      "a mixture-of-experts lora_a",
      [tensor(`${q}.lora_a`, [4, 16, 8]), tensor(`${q}.lora_b`, [8, 16])],
      {},
      [
        weightsIssue(
          `${q} is a mixture-of-experts (SwitchLinear) adapter; PEFT has no equivalent, so it cannot be converted`,
        ),
      ],
    ],
    [
      "a mixture-of-experts lora_b",
      [tensor(`${q}.lora_a`, [16, 8]), tensor(`${q}.lora_b`, [4, 8, 16])],
      {},
      [
        weightsIssue(
          `${q} is a mixture-of-experts (SwitchLinear) adapter; PEFT has no equivalent, so it cannot be converted`,
        ),
      ],
    ],
    [
      "a 1-D lora_a",
      [tensor(`${q}.lora_a`, [8]), tensor(`${q}.lora_b`, [8, 16])],
      {},
      [weightsIssue(`${q}: lora_a and lora_b must be 2-D, got [8] and [8,16]`)],
    ],
    [
      "a 1-D lora_b",
      [tensor(`${q}.lora_a`, [16, 8]), tensor(`${q}.lora_b`, [8])],
      {},
      [weightsIssue(`${q}: lora_a and lora_b must be 2-D, got [16,8] and [8]`)],
    ],
    [
      "ranks that differ inside a module",
      [tensor(`${q}.lora_a`, [16, 8]), tensor(`${q}.lora_b`, [4, 16])],
      {},
      [weightsIssue(`${q}: lora_a is [16, 8] but lora_b is [4, 16]; their rank dimensions differ`)],
    ],
    ["an empty input dimension", lora(q, 0, 8, 16), {}, [weightsIssue(`${q}: empty tensor`)]],
    ["an empty output dimension", lora(q, 16, 8, 0), {}, [weightsIssue(`${q}: empty tensor`)]],
    ["rank 0", lora(q, 16, 0, 16), {}, [weightsIssue(`${q}: empty tensor`)]],
    [
      "a magnitude in a LoRA adapter",
      [...lora(q, 16, 8, 16), tensor(`${q}.m`, [16])],
      {},
      [weightsIssue(`${q}.m is a DoRA magnitude, but adapter_config.json says fine_tune_type lora`)],
    ],
    [
      "a DoRA module without its magnitude",
      lora(q, 16, 8, 16),
      { config: DORA },
      [weightsIssue(`${q} has no .m magnitude vector, which every DoRA module needs`)],
    ],
    [
      "DoRA on an embedding",
      lora("model.embed_tokens", 100, 8, 16),
      { config: DORA },
      [weightsIssue("model.embed_tokens: DoRA on embeddings has no PEFT equivalent")],
    ],
    [
      "a magnitude of the wrong length",
      [...lora(q, 16, 8, 32), tensor(`${q}.m`, [16])],
      { config: DORA },
      [weightsIssue(`${q}.m must have shape [32], got [16]`)],
    ],
    [
      "a 2-D magnitude",
      [...lora(q, 16, 8, 32), tensor(`${q}.m`, [32, 1])],
      { config: DORA },
      [weightsIssue(`${q}.m must have shape [32], got [32, 1]`)],
    ],
    [
      "modules of different ranks",
      [...lora("model.layers.0.q_proj", 16, 16, 16), ...lora("model.layers.0.v_proj", 16, 4, 16)],
      { config: { ...LORA, rank: 4 } },
      [weightsIssue("modules have different ranks (4, 16); PEFT needs one rank")],
    ],
    [
      "a config whose rank is not the tensors'",
      lora(q, 16, 4, 16),
      {},
      [configIssue("lora_parameters.rank is 8 but the tensors have rank 4")],
    ],
    [
      "a legacy alpha without knowing which mlx-lm wrote it",
      lora(q, 16, 8, 16),
      { config: { ...LORA, legacyAlpha: 16 } },
      [
        configIssue(
          "has lora_layers and lora_parameters.alpha, so it may come from mlx-lm ≤ 0.14.1 (multiplier scale·alpha/rank) " +
            "or a later version (multiplier scale); the files cannot tell. Pass --mlx-lora-scaling legacy or modern",
        ),
      ],
    ],
    [
      "no Hub id for the base model",
      lora(q, 16, 8, 16),
      { baseModel: undefined },
      [
        configIssue(
          "no Hub id for the base model (a local path cannot go into a PEFT config); set huggingface.base_model_hf_id in the config or pass --base-model",
        ),
      ],
    ],
  ])("%s", (_name, tensors, options, issues) => {
    expect(plan(tensors, options)).toEqual({ plan: undefined, issues });
  });
});
