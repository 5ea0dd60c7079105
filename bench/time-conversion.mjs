// Times the MLX -> PEFT conversion step alone (transpose, value scan, write, output sha256), in a
// process of its own, from the build: no start-up, config, staging or card in the figure.
//   node bench/time-conversion.mjs <adapter dir> <out dir>
// Prints {"seconds": s, "sha256": hex} for one conversion.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { convertMlxAdapter } from "../dist/src/convert/convert-mlx-adapter.js";
import { planPeftConversion } from "../dist/src/convert/plan-peft-conversion.js";
import { readMlxAdapterConfig } from "../dist/src/convert/read-mlx-adapter-config.js";
import { readSafetensorsHeader } from "../dist/src/safetensors/read-safetensors-header.js";

const [adapterDir, outDir] = process.argv.slice(2);
const weightsAbs = path.join(adapterDir, "adapters.safetensors");
const header = await readSafetensorsHeader(weightsAbs, "adapters.safetensors");
const { config } = readMlxAdapterConfig(
  JSON.parse(await readFile(path.join(adapterDir, "adapter_config.json"), "utf8")),
  "adapter_config.json",
);
const { plan, issues } = planPeftConversion({
  config,
  tensors: header.tensors,
  weightsFile: "adapters.safetensors",
  configFile: "adapter_config.json",
  baseModel: "allenai/OLMo-2-0425-1B-Instruct",
  scaling: undefined,
});
if (plan === undefined) {
  throw new Error(`cannot plan the conversion: ${JSON.stringify(issues)}`);
}
const started = performance.now();
const converted = await convertMlxAdapter({
  weightsAbs,
  weightsRel: "adapters.safetensors",
  header,
  plan,
  outDir,
  allowUntrained: false,
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, sha256: converted.weights.sha256, issues: converted.issues })}\n`);
