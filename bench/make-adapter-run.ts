import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OutputTensor } from "../src/safetensors/serialize-header.js";
import { writeBenchSafetensors } from "./write-bench-safetensors.js";

const MiB = 1024 * 1024;

/**
 * An MLX LoRA run of about `bytes` (F32, hidden 4096, the given rank) in `dir`; returns the weights
 * file. Values must be finite floats, or validation rightly refuses them as a diverged training.
 */
export async function makeAdapterRun(dir: string, bytes: number, options: { rank?: number } = {}): Promise<string> {
  await mkdir(path.join(dir, "adapters"), { recursive: true });
  const hidden = 4096;
  const rank = options.rank ?? 256;
  const moduleBytes = 2 * hidden * rank * 4;
  const modules = Math.max(1, Math.round(bytes / moduleBytes));
  const names = ["q_proj", "k_proj", "v_proj", "o_proj"];
  const tensors: OutputTensor[] = [];
  for (let m = 0; m < modules; m++) {
    const prefix = `model.layers.${Math.floor(m / names.length)}.self_attn.${names[m % names.length] ?? "q_proj"}`;
    tensors.push(
      { name: `${prefix}.lora_a`, dtype: "F32", shape: [hidden, rank] },
      { name: `${prefix}.lora_b`, dtype: "F32", shape: [rank, hidden] },
    );
  }
  tensors.sort((a, b) => (a.name < b.name ? -1 : 1));
  const floats = new Float32Array((16 * MiB) / 4 + 1025);
  for (let i = 0; i < floats.length; i++) {
    floats[i] = Math.sin(i) * 0.01;
  }
  const file = path.join(dir, "adapters", "adapters.safetensors");
  await writeBenchSafetensors(file, tensors, null, Buffer.from(floats.buffer));
  await writeFile(
    path.join(dir, "adapters", "adapter_config.json"),
    JSON.stringify({
      fine_tune_type: "lora",
      lora_parameters: { rank, scale: 20, dropout: 0 },
      num_layers: Math.ceil(modules / names.length),
    }),
  );
  return file;
}
