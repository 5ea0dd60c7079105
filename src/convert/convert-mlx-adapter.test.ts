import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/helpers/random.js";
import { buildSafetensors, type TensorSpec } from "../../tests/helpers/safetensors-builder.js";
import { testdir } from "../../tests/helpers/testdir.js";
import { readSafetensorsHeader } from "../safetensors/read-safetensors-header.js";
import { convertMlxAdapter } from "./convert-mlx-adapter.js";
import { planPeftConversion } from "./plan-peft-conversion.js";
import { readMlxAdapterConfig } from "./read-mlx-adapter-config.js";
import { transpose2d } from "./transpose-2d.js";

function randomWords(count: number, bytes: 2 | 4, random: () => number): Uint8Array {
  // Arbitrary finite bit patterns: exponent never all ones, so no value is NaN/Inf.
  const words = bytes === 4 ? new Uint32Array(count) : new Uint16Array(count);
  const mask = bytes === 4 ? 0xbf7fffff : 0xbf7f;
  for (let i = 0; i < count; i++) {
    words[i] = Math.floor(random() * 2 ** (bytes * 8)) & mask;
  }
  return new Uint8Array(words.buffer);
}

describe("convertMlxAdapter", () => {
  it("converts an adapter larger than the hashing-thread threshold, with shapes off every SIMD block size, exactly", async () => {
    const dir = await testdir();
    const random = seededRandom(11);
    const rank = 67;
    const modules = [
      { path: "model.layers.0.mlp.down_proj", inDim: 20011, outDim: 40009, dtype: "F32" as const },
      { path: "model.layers.1.self_attn.q_proj", inDim: 8191, outDim: 12007, dtype: "BF16" as const },
      { path: "model.layers.1.self_attn.v_proj", inDim: 5, outDim: 3, dtype: "F16" as const },
    ];
    const tensors: TensorSpec[] = modules.flatMap((module) => {
      const size = module.dtype === "F32" ? 4 : 2;
      return [
        {
          name: `${module.path}.lora_a`,
          dtype: module.dtype,
          shape: [module.inDim, rank],
          data: randomWords(module.inDim * rank, size, random),
        },
        {
          name: `${module.path}.lora_b`,
          dtype: module.dtype,
          shape: [rank, module.outDim],
          data: randomWords(rank * module.outDim, size, random),
        },
      ];
    });
    const weightsAbs = path.join(dir, "adapters.safetensors");
    await writeFile(weightsAbs, buildSafetensors(tensors, { style: "mlx" }));
    const header = await readSafetensorsHeader(weightsAbs, "adapters.safetensors");
    const { config } = readMlxAdapterConfig(
      { fine_tune_type: "lora", lora_parameters: { rank, scale: 2, dropout: 0 }, num_layers: 2 },
      "adapter_config.json",
    );
    const { plan } = planPeftConversion({
      config: config ?? expect.fail("config refused"),
      tensors: header.tensors,
      weightsFile: "adapters.safetensors",
      configFile: "adapter_config.json",
      baseModel: "allenai/OLMo-2-0425-1B-Instruct",
      scaling: undefined,
    });
    const outDir = path.join(dir, "out");
    await mkdir(outDir);

    const converted = await convertMlxAdapter({
      weightsAbs,
      weightsRel: "adapters.safetensors",
      header,
      plan: plan ?? expect.fail("plan refused"),
      outDir,
      allowUntrained: false,
    });

    const written = await readFile(converted.weights.abs);
    expect(written.byteLength).toBeGreaterThan(16 * 1024 * 1024);
    expect(converted.weights.size).toBe(written.byteLength);
    expect(converted.weights.sha256).toBe(createHash("sha256").update(written).digest("hex"));
    expect(converted.issues).toEqual([]);
    const out = await readSafetensorsHeader(converted.weights.abs, "adapter_model.safetensors");
    expect(out.tensors).toHaveLength(tensors.length);
    for (const spec of tensors) {
      const [rows = 0, cols = 0] = spec.shape;
      const peftName = spec.name.replace(/\.lora_a$/, ".lora_A.weight").replace(/\.lora_b$/, ".lora_B.weight");
      const entry = out.tensors.find((tensor) => tensor.name === `base_model.model.${peftName}`);
      expect(entry?.shape).toEqual([cols, rows]);
      const bytes = written.subarray(out.dataStart + (entry?.begin ?? 0), out.dataStart + (entry?.end ?? 0));
      const expected = transpose2d(spec.data, rows, cols, spec.dtype === "F32" ? 4 : 2);
      expect(Buffer.compare(bytes, expected), spec.name).toBe(0);
    }
    expect((await readdir(outDir)).sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
  });
});
