import type { RunIssue } from "../errors.js";
import type { TensorInfo } from "../safetensors/parse-safetensors-header.js";
import type { MlxAdapterConfig } from "./read-mlx-adapter-config.js";
import { compareStrings } from "../util/compare-strings.js";

export type MlxScaling = "modern" | "legacy";

export interface PlannedTensor {
  /** PEFT key, e.g. base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight */
  name: string;
  dtype: "F32" | "F16" | "BF16";
  shape: number[];
  source: TensorInfo;
  transpose: boolean;
  /** lora_b tensors are checked for the all-zero "untrained" state. */
  role: "A" | "B" | "magnitude";
}

export interface PeftPlan {
  tensors: PlannedTensor[];
  config: Record<string, unknown>;
  summary: {
    r: number;
    alpha: number;
    dropout: number;
    targetModules: string[];
    layers: number[] | null;
    dora: boolean;
  };
}

const KEY = /^(.+)\.(lora_a|lora_b|m)$/;
// No `$`: KEY's `^(.+)` already keeps line breaks out of a module path, so `.+` runs to its end.
const LAYER = /^(?:.*\.)?layers\.(\d+)\.(.+)/;
const EMBEDDING_LEAVES = new Set(["embed_tokens", "wte", "word_embeddings", "embed_in"]);
const FLOAT_DTYPES = new Set(["F32", "F16", "BF16"]);

interface ModuleTensors {
  a?: TensorInfo;
  b?: TensorInfo;
  m?: TensorInfo;
}

/**
 * Pure: checks an MLX LoRA/DoRA adapter's tensors against its config and plans the exact PEFT
 * equivalent. MLX computes `scale·(x·A)·B` with A [in, r] and B [r, out]; PEFT computes
 * `(lora_alpha/r)·(x·Aᵀ)·Bᵀ` with A [r, in] and B [out, r]. So both matrices are transposed
 * (bit-exact) and `lora_alpha = scale·r`; keys gain PEFT's `base_model.model.` prefix. Target
 * modules and layers come from the tensor names, never from a fixed list.
 */
export function planPeftConversion(params: {
  config: MlxAdapterConfig;
  tensors: readonly TensorInfo[];
  weightsFile: string;
  configFile: string;
  baseModel: string | undefined;
  scaling: MlxScaling | undefined;
}): { plan: PeftPlan | undefined; issues: RunIssue[] } {
  const { config, weightsFile } = params;
  const issues: RunIssue[] = [];
  const problem = (message: string): void => {
    issues.push({ file: weightsFile, message });
  };
  const modules = new Map<string, ModuleTensors>();
  for (const tensor of params.tensors) {
    const match = KEY.exec(tensor.name);
    if (!match) {
      problem(
        `unexpected tensor ${tensor.name}: MLX adapters hold only <module>.lora_a, <module>.lora_b (and <module>.m for DoRA)`,
      );
      continue;
    }
    const [, path = "", part] = match;
    const entry = modules.get(path) ?? {};
    entry[part === "lora_a" ? "a" : part === "lora_b" ? "b" : "m"] = tensor;
    modules.set(path, entry);
    if (!FLOAT_DTYPES.has(tensor.dtype)) {
      problem(`${tensor.name} has dtype ${tensor.dtype}; only F32, F16 and BF16 adapters can be converted`);
    }
  }
  if (modules.size === 0 && issues.length === 0) {
    problem("holds no LoRA tensors");
  }

  const dora = config.fineTuneType === "dora";
  const ranks = new Set<number>();
  const planned: PlannedTensor[] = [];
  const relativeByLeaf = new Map<string, Set<string>>();
  const layers = new Set<number>();
  let outsideLayers = false;

  for (const [path, { a, b, m }] of [...modules].sort(([x], [y]) => compareStrings(x, y))) {
    if (!a || !b) {
      problem(`${path} has ${a ? "lora_a" : "lora_b"} but no ${a ? "lora_b" : "lora_a"}`);
      continue;
    }
    if (a.shape.length === 3 || b.shape.length === 3) {
      problem(
        `${path} is a mixture-of-experts (SwitchLinear) adapter; PEFT has no equivalent, so it cannot be converted`,
      );
      continue;
    }
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      problem(`${path}: lora_a and lora_b must be 2-D, got ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)}`);
      continue;
    }
    const [inDim = 0, r = 0] = a.shape;
    const [rB = 0, outDim = 0] = b.shape;
    if (r !== rB) {
      problem(
        `${path}: lora_a is [${a.shape.join(", ")}] but lora_b is [${b.shape.join(", ")}]; their rank dimensions differ`,
      );
      continue;
    }
    if (inDim === 0 || outDim === 0 || r === 0) {
      problem(`${path}: empty tensor`);
      continue;
    }
    ranks.add(r);
    const leaf = path.split(".").pop() ?? path;
    const embedding = EMBEDDING_LEAVES.has(leaf);
    if (m !== undefined && !dora) {
      problem(`${path}.m is a DoRA magnitude, but adapter_config.json says fine_tune_type ${config.fineTuneType}`);
    }
    if (dora && m === undefined && !embedding) {
      problem(`${path} has no .m magnitude vector, which every DoRA module needs`);
    }
    if (dora && embedding) {
      problem(`${path}: DoRA on embeddings has no PEFT equivalent`);
      continue;
    }
    if (m !== undefined && (m.shape.length !== 1 || m.shape[0] !== outDim)) {
      problem(`${path}.m must have shape [${outDim}], got [${m.shape.join(", ")}]`);
      continue;
    }

    const layer = LAYER.exec(path);
    if (layer) {
      layers.add(Number(layer[1]));
      const relative = layer[2] ?? leaf;
      relativeByLeaf.set(leaf, (relativeByLeaf.get(leaf) ?? new Set()).add(relative));
    } else {
      outsideLayers = true;
      relativeByLeaf.set(leaf, (relativeByLeaf.get(leaf) ?? new Set()).add(leaf));
    }
    const prefix = `base_model.model.${path}`;
    // PEFT names embedding LoRA differently (and without ".weight"); the math is the same.
    const [nameA, nameB] = embedding ? ["lora_embedding_A", "lora_embedding_B"] : ["lora_A.weight", "lora_B.weight"];
    planned.push(
      {
        name: `${prefix}.${nameA}`,
        dtype: a.dtype as PlannedTensor["dtype"],
        shape: [r, inDim],
        source: a,
        transpose: true,
        role: "A",
      },
      {
        name: `${prefix}.${nameB}`,
        dtype: b.dtype as PlannedTensor["dtype"],
        shape: [outDim, r],
        source: b,
        transpose: true,
        role: "B",
      },
    );
    if (m !== undefined) {
      planned.push({
        name: `${prefix}.lora_magnitude_vector`,
        dtype: m.dtype as PlannedTensor["dtype"],
        shape: [outDim],
        source: m,
        transpose: false,
        role: "magnitude",
      });
    }
  }

  if (ranks.size > 1) {
    problem(`modules have different ranks (${[...ranks].sort((x, y) => x - y).join(", ")}); PEFT needs one rank`);
  }
  const r = [...ranks][0];
  if (ranks.size === 1 && r !== config.rank) {
    issues.push({
      file: params.configFile,
      message: `lora_parameters.rank is ${config.rank} but the tensors have rank ${r}`,
    });
  }
  if (config.legacyAlpha !== undefined && params.scaling === undefined) {
    issues.push({
      file: params.configFile,
      message:
        "has lora_layers and lora_parameters.alpha, so it may come from mlx-lm ≤ 0.14.1 (multiplier scale·alpha/rank) " +
        "or a later version (multiplier scale); the files cannot tell. Pass --mlx-lora-scaling legacy or modern",
    });
  }
  if (params.baseModel === undefined) {
    issues.push({
      file: params.configFile,
      message:
        "no Hub id for the base model (a local path cannot go into a PEFT config); set huggingface.base_model_hf_id in the config or pass --base-model",
    });
  }
  if (issues.length > 0 || r === undefined || params.baseModel === undefined) {
    return { plan: undefined, issues };
  }

  // Told legacy, a config without a legacy alpha still means scale × r.
  const alphaRaw = config.scale * (params.scaling === "legacy" ? (config.legacyAlpha ?? r) : r);
  const alpha = Number.isInteger(alphaRaw) ? alphaRaw : Number(alphaRaw.toPrecision(12));
  const targetModules = [...relativeByLeaf]
    .flatMap(([leaf, relatives]) => (relatives.size === 1 ? [leaf] : [...relatives]))
    .sort();
  const layerList = outsideLayers ? null : [...layers].sort((x, y) => x - y);
  planned.sort((x, y) => compareStrings(x.name, y.name));
  return {
    issues,
    plan: {
      tensors: planned,
      summary: { r, alpha, dropout: config.dropout, targetModules, layers: layerList, dora },
      config: {
        alpha_pattern: {},
        base_model_name_or_path: params.baseModel,
        bias: "none",
        fan_in_fan_out: false,
        inference_mode: true,
        init_lora_weights: true,
        layers_pattern: layerList === null ? null : "layers",
        layers_to_transform: layerList,
        lora_alpha: alpha,
        lora_dropout: config.dropout,
        modules_to_save: null,
        peft_type: "LORA",
        r,
        rank_pattern: {},
        revision: null,
        target_modules: targetModules,
        task_type: "CAUSAL_LM",
        use_dora: dora,
        use_rslora: false,
      },
    },
  };
}
