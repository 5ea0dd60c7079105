import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { seededRandom } from "./random.js";
import { buildSafetensors, randomF32, type TensorSpec } from "./safetensors-builder.js";

async function put(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

export interface MlxRunOptions {
  seed?: number;
  rank?: number;
  layers?: number[];
  modules?: string[];
  hidden?: number;
  /** Also write an intermediate checkpoint, which must not be uploaded. */
  checkpoint?: boolean;
  /** Extra files, relative to the run. */
  extra?: Record<string, string | Uint8Array>;
}

/** MLX LoRA tensors in mlx-lm's layout: `<module>.lora_a` [in, r], `<module>.lora_b` [r, out], F32. */
export function mlxLoraTensors(options: MlxRunOptions = {}): TensorSpec[] {
  const random = seededRandom(options.seed ?? 1);
  const rank = options.rank ?? 8;
  const hidden = options.hidden ?? 32;
  const tensors: TensorSpec[] = [];
  for (const layer of options.layers ?? [14, 15]) {
    for (const module of options.modules ?? ["self_attn.q_proj", "self_attn.v_proj"]) {
      const prefix = `model.layers.${layer}.${module}`;
      tensors.push({
        name: `${prefix}.lora_a`,
        dtype: "F32",
        shape: [hidden, rank],
        data: randomF32(hidden * rank, random),
      });
      tensors.push({
        name: `${prefix}.lora_b`,
        dtype: "F32",
        shape: [rank, hidden],
        data: randomF32(rank * hidden, random),
      });
    }
  }
  return tensors;
}

/** A run as mlx-lm and the training pipeline write it, local paths included. Returns the run folder. */
export async function writeMlxRun(modelsDir: string, name: string, options: MlxRunOptions = {}): Promise<string> {
  const run = path.join(modelsDir, name);
  const tensors = mlxLoraTensors(options);
  const weights = buildSafetensors(tensors, { style: "mlx" });
  await put(path.join(run, "adapters", "adapters.safetensors"), weights);
  await put(
    path.join(run, "adapters", "adapter_config.json"),
    JSON.stringify(
      {
        adapter_path: `/Users/trainer/shared-olmo-models/fine-tuned/${name}/adapters`,
        batch_size: 1,
        config: null,
        data: "/Users/trainer/mpo-api-authn-server/security-ai-analysis/training-data",
        fine_tune_type: "lora",
        iters: 100,
        learning_rate: 0.0002,
        lora_parameters: { rank: options.rank ?? 8, dropout: 0.0, scale: 20.0 },
        max_seq_length: 2048,
        model: "/Users/trainer/shared-olmo-models/base/OLMo-2-1B-Instruct-mlx-q4",
        num_layers: 2,
        optimizer: "adamw",
        resume_adapter_file: null,
        save_every: 100,
        seed: 0,
      },
      null,
      4,
    ),
  );
  await put(
    path.join(run, "training_metadata.json"),
    JSON.stringify({
      timestamp: "2025-09-26T12:00:00.000000",
      base_model: "/Users/trainer/shared-olmo-models/base/OLMo-2-1B-Instruct-mlx-q4",
      training_data_dir: "/Users/trainer/mpo-api-authn-server/security-ai-analysis/training-data",
      hyperparameters: { learning_rate: 0.0002, batch_size: 1, num_iters: 100 },
      adapter_path: `/Users/trainer/shared-olmo-models/fine-tuned/${name}/adapters`,
    }),
  );
  if (options.checkpoint) {
    await put(path.join(run, "adapters", "0000100_adapters.safetensors"), weights);
  }
  for (const [rel, content] of Object.entries(options.extra ?? {})) {
    await put(path.join(run, rel), content);
  }
  return run;
}

/** A fused (merged) model, optionally sharded with an index, as mlx-lm's save() writes it. */
export async function writeFusedRun(dir: string, options: { shards?: number; seed?: number } = {}): Promise<string> {
  const random = seededRandom(options.seed ?? 7);
  const shardCount = options.shards ?? 1;
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  for (let shard = 1; shard <= shardCount; shard++) {
    const file =
      shardCount === 1
        ? "model.safetensors"
        : `model-${String(shard).padStart(5, "0")}-of-${String(shardCount).padStart(5, "0")}.safetensors`;
    const tensors: TensorSpec[] = [0, 1].map((i) => ({
      name: `model.layers.${(shard - 1) * 2 + i}.mlp.down_proj.weight`,
      dtype: "F32",
      shape: [16, 16],
      data: randomF32(256, random),
    }));
    for (const tensor of tensors) {
      weightMap[tensor.name] = file;
      totalSize += tensor.data.byteLength;
    }
    await put(path.join(dir, file), buildSafetensors(tensors, { style: "mlx", metadata: { format: "mlx" } }));
  }
  if (shardCount > 1) {
    await put(
      path.join(dir, "model.safetensors.index.json"),
      JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }),
    );
  }
  await put(
    path.join(dir, "config.json"),
    JSON.stringify({ architectures: ["Olmo2ForCausalLM"], model_type: "olmo2", hidden_size: 16 }),
  );
  await put(path.join(dir, "tokenizer.json"), JSON.stringify({ version: "1.0", model: { vocab: { a: 0 } } }));
  await put(path.join(dir, "tokenizer_config.json"), JSON.stringify({ model_max_length: 4096 }));
  return dir;
}

/** A PEFT adapter folder (already converted), as PEFT's save_pretrained writes it. */
export async function writePeftRun(dir: string): Promise<string> {
  const random = seededRandom(3);
  const tensors: TensorSpec[] = [
    {
      name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
      dtype: "F32",
      shape: [4, 16],
      data: randomF32(64, random),
    },
    {
      name: "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
      dtype: "F32",
      shape: [16, 4],
      data: randomF32(64, random),
    },
  ];
  await put(path.join(dir, "adapter_model.safetensors"), buildSafetensors(tensors, { style: "pt" }));
  await put(
    path.join(dir, "adapter_config.json"),
    JSON.stringify({
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      r: 4,
      lora_alpha: 80,
      target_modules: ["q_proj"],
      base_model_name_or_path: "allenai/OLMo-2-0425-1B-Instruct",
    }),
  );
  return dir;
}
