import { createCipheriv, createHash } from "node:crypto";
import { open, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { serializeHeader, type OutputTensor } from "../src/safetensors/serialize-header.js";

const MiB = 1024 * 1024;
/** Values per tensor: 4 MiB of BF16. */
const TENSOR_VALUES = 2 * MiB;
const SHARDS = 3;

/** `count` seeded 32-bit words from AES-128-CTR's keystream (AES-NI makes it cheap; a small PRNG would repeat itself within a tensor and hand LZ4 matches no trained weights have). */
function words(seed: number, count: number): Uint32Array {
  const key = createHash("sha256").update(`bench-weights-${seed}`).digest().subarray(0, 16);
  const stream = createCipheriv("aes-128-ctr", key, Buffer.alloc(16)).update(Buffer.alloc(count * 4));
  return new Uint32Array(stream.buffer, stream.byteOffset, count);
}

/** One tensor's bytes: BF16 values drawn from N(0, 0.02²), as trained weights look (Box-Muller). */
function weights(seed: number): Buffer {
  const random = words(seed, TENSOR_VALUES);
  const values = new Float32Array(TENSOR_VALUES);
  const scale = 1 / 4294967296;
  for (let i = 0; i < TENSOR_VALUES; i += 2) {
    const r = 0.02 * Math.sqrt(-2 * Math.log(((random[i] ?? 0) + 0.5) * scale));
    const a = 2 * Math.PI * ((random[i + 1] ?? 0) + 0.5) * scale;
    values[i] = r * Math.cos(a);
    values[i + 1] = r * Math.sin(a);
  }
  // BF16 is the top half of each float32.
  const bits = new Uint32Array(values.buffer);
  const out = new Uint16Array(TENSOR_VALUES);
  for (let i = 0; i < TENSOR_VALUES; i++) {
    out[i] = (bits[i] ?? 0) >>> 16;
  }
  return Buffer.from(out.buffer);
}

/**
 * A fused model run of about `bytes` in 3 safetensors shards of 4 MiB BF16 tensors (values like
 * trained weights, every tensor its own, so nothing repeats), plus the small files a fused model
 * has. With `changed`, the same run after more training: in each shard a quarter of the tensors
 * (which ones chosen by `changed.seed`) hold new values, the rest the same bytes. Returns every file.
 */
export async function makeWeightsRun(
  dir: string,
  bytes: number,
  options: { seed: number; changed?: { seed: number } },
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const count = Math.max(SHARDS, Math.round(bytes / (TENSOR_VALUES * 2)));
  const files: string[] = [];
  const weightMap: Record<string, string> = {};
  const choices = options.changed === undefined ? undefined : words(options.changed.seed, count * 8);
  let next = 0;
  const pick = choices === undefined ? undefined : (): number => (choices[next++ % choices.length] ?? 0) / 4294967296;
  for (let shard = 0; shard < SHARDS; shard++) {
    const name = `model-0000${shard + 1}-of-0000${SHARDS}.safetensors`;
    const indices = Array.from({ length: count }, (_, i) => i).filter((i) => i % SHARDS === shard);
    // A quarter of this shard's tensors, chosen at random, change.
    const changed = new Set<number>();
    while (pick !== undefined && changed.size < Math.round(indices.length / 4)) {
      changed.add(indices[Math.floor(pick() * indices.length)] ?? 0);
    }
    const tensors: OutputTensor[] = indices.map((i) => ({
      name: `model.layers.${i}.mlp.down_proj.weight`,
      dtype: "BF16",
      shape: [1024, TENSOR_VALUES / 1024],
    }));
    for (const tensor of tensors) {
      weightMap[tensor.name] = name;
    }
    const file = path.join(dir, name);
    const handle = await open(file, "w");
    try {
      await handle.write(serializeHeader(tensors, { format: "pt" }).bytes);
      for (const i of indices) {
        const seed = options.seed * 100_003 + i + (changed.has(i) ? 7_777_777 * (options.changed?.seed ?? 0) : 0);
        await handle.write(weights(seed));
      }
    } finally {
      await handle.close();
    }
    files.push(file);
  }
  const small: Record<string, string> = {
    "model.safetensors.index.json": JSON.stringify({
      metadata: { total_size: count * TENSOR_VALUES * 2 },
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
  for (const [file, content] of Object.entries(small)) {
    await writeFile(path.join(dir, file), content);
    files.push(path.join(dir, file));
  }
  return files;
}
