import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mlxLoraTensors } from "../../tests/helpers/make-run.js";
import { buildSafetensors } from "../../tests/helpers/safetensors-builder.js";
import { testdir } from "../../tests/helpers/testdir.js";
import { convertMlxAdapter } from "../convert/convert-mlx-adapter.js";
import { planPeftConversion } from "../convert/plan-peft-conversion.js";
import { readMlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import { readSafetensorsHeader } from "../safetensors/read-safetensors-header.js";
import { bytesFile } from "./bytes-file.js";
import { generatedContents } from "./generated-contents.js";
import type { StagedFile } from "./staged-upload.js";

describe("generatedContents", () => {
  it("gives the generated files' bytes, and the converted weights' header exactly as the converter writes it", async () => {
    const dir = await testdir();
    const weightsAbs = path.join(dir, "adapters.safetensors");
    await writeFile(weightsAbs, buildSafetensors(mlxLoraTensors(), { style: "mlx" }));
    const header = await readSafetensorsHeader(weightsAbs, "adapters.safetensors");
    const { config } = readMlxAdapterConfig(
      { fine_tune_type: "lora", lora_parameters: { rank: 8, scale: 20, dropout: 0 }, num_layers: 2 },
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
    const outDir = path.join(dir, "peft");
    await mkdir(outDir);
    const converted = await convertMlxAdapter({
      weightsAbs,
      weightsRel: "adapters.safetensors",
      header,
      plan: plan ?? expect.fail("plan refused"),
      outDir,
      allowUntrained: false,
    });
    const info = await stat(weightsAbs);
    const conversion = {
      plan: plan ?? expect.fail("plan refused"),
      header,
      weights: { rel: "adapters.safetensors", abs: weightsAbs, ...info },
      allowUntrained: false,
    };
    const weights: StagedFile = {
      pathInRepo: "adapter_model.safetensors",
      origin: "converted",
      size: converted.weights.size,
      content: { type: "file", abs: converted.weights.abs },
      source: undefined,
      sha256: converted.weights.sha256,
      gitSha1: undefined,
      pending: false,
    };
    const runFile: StagedFile = { ...weights, pathInRepo: "mlx/adapters.safetensors", origin: "run" };
    const card = bytesFile("README.md", "generated", "# card\n", undefined);

    const contents = generatedContents({ type: "model", files: [card, runFile, weights] }, conversion);

    const written = await readFile(converted.weights.abs);
    const headerLength = 8 + Number(written.readBigUInt64LE(0));
    expect(contents.map((content) => content.label)).toEqual([
      "README.md (generated)",
      "adapter_model.safetensors (converted)",
    ]);
    expect(Buffer.from(contents[0]?.bytes ?? [])).toEqual(Buffer.from("# card\n"));
    expect(Buffer.from(contents[1]?.bytes ?? [])).toEqual(written.subarray(0, headerLength));
    expect(generatedContents({ type: "dataset", files: [card] }, undefined)[0]?.label).toBe(
      "dataset repo README.md (generated)",
    );
  });
});
