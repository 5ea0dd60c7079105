import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OutputTensor } from "../src/safetensors/serialize-header.js";
import { writeBenchSafetensors } from "./write-bench-safetensors.js";

const MiB = 1024 * 1024;

/** A fused (full-weights) run of about `bytes` in 3 safetensors shards plus the small JSON files; returns every file. */
export async function makeFusedRun(dir: string, bytes: number, block: Buffer): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const tensorBytes = 64 * MiB;
  const count = Math.max(3, Math.round(bytes / tensorBytes));
  const shards = 3;
  const weightMap: Record<string, string> = {};
  const files: string[] = [];
  for (let shard = 1; shard <= shards; shard++) {
    const name = `model-0000${shard}-of-00003.safetensors`;
    const tensors: OutputTensor[] = [];
    for (let i = shard - 1; i < count; i += shards) {
      const tensor = { name: `model.layers.${i}.mlp.weight`, dtype: "F32", shape: [tensorBytes / 4] };
      tensors.push(tensor);
      weightMap[tensor.name] = name;
    }
    await writeBenchSafetensors(path.join(dir, name), tensors, { format: "pt" }, block);
    files.push(path.join(dir, name));
  }
  const small: Record<string, string> = {
    "model.safetensors.index.json": JSON.stringify({
      metadata: { total_size: count * tensorBytes },
      weight_map: weightMap,
    }),
    "config.json": JSON.stringify({ architectures: ["Olmo2ForCausalLM"], model_type: "olmo2" }),
    "tokenizer.json": JSON.stringify({
      version: "1.0",
      model: { vocab: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`tok${i}`, i])) },
    }),
    "tokenizer_config.json": JSON.stringify({ chat_template: "{{ messages }}" }),
    "generation_config.json": JSON.stringify({ max_new_tokens: 256 }),
  };
  for (const [name, content] of Object.entries(small)) {
    await writeFile(path.join(dir, name), content);
    files.push(path.join(dir, name));
  }
  return files;
}
