import { open, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunIssue } from "../errors.js";
import type { SafetensorsHeader } from "../safetensors/parse-safetensors-header.js";
import { readTensorBytes } from "../safetensors/read-tensor-bytes.js";
import { writeSafetensors } from "../safetensors/write-safetensors.js";
import type { PeftPlan } from "./plan-peft-conversion.js";
import { scanValues } from "./scan-values.js";
import { transpose2d } from "./transpose-2d.js";

export interface ConvertedAdapter {
  weights: { abs: string; size: number; sha256: string };
  config: { abs: string; size: number };
  /** Value problems found while converting (NaN/Inf, an untrained adapter). */
  issues: RunIssue[];
  warnings: string[];
}

/**
 * Streams an MLX adapter into PEFT files in `outDir`: one tensor in memory at a time, values
 * checked on the way (the only full read of the data), written through a temp file + rename.
 */
export async function convertMlxAdapter(params: {
  weightsAbs: string;
  weightsRel: string;
  header: SafetensorsHeader;
  plan: PeftPlan;
  outDir: string;
  allowUntrained: boolean;
}): Promise<ConvertedAdapter> {
  const { plan, weightsRel } = params;
  const issues: RunIssue[] = [];
  const warnings: string[] = [];
  let anyTrainedB = false;
  const handle = await open(params.weightsAbs, "r");
  let weights: { size: number; sha256: string };
  try {
    weights = await writeSafetensors(
      path.join(params.outDir, "adapter_model.safetensors"),
      plan.tensors,
      { format: "pt" },
      async (index) => {
        const tensor = plan.tensors[index];
        if (tensor === undefined) {
          throw new Error(`no planned tensor ${index}`);
        }
        const bytes = await readTensorBytes(handle, params.header, tensor.source);
        const { nonFinite, allZero } = scanValues(bytes, tensor.dtype);
        if (nonFinite > 0) {
          issues.push({
            file: weightsRel,
            message: `${tensor.source.name} has ${nonFinite} NaN/Inf value${nonFinite === 1 ? "" : "s"}; training diverged`,
          });
        }
        if (tensor.role === "B" && !allZero) {
          anyTrainedB = true;
        }
        if (!tensor.transpose) {
          return bytes;
        }
        const [rows = 0, cols = 0] = tensor.source.shape;
        return transpose2d(bytes, rows, cols, tensor.dtype === "F32" ? 4 : 2);
      },
    );
  } finally {
    await handle.close();
  }
  if (!anyTrainedB) {
    const message =
      "every lora_b is all zeros: the adapter is untrained (saved at iteration 0?), so it would change nothing";
    if (params.allowUntrained) {
      warnings.push(`${weightsRel}: ${message}; uploading anyway (--allow-untrained)`);
    } else {
      issues.push({ file: weightsRel, message: `${message}; pass --allow-untrained to upload it anyway` });
    }
  }
  const configText = `${JSON.stringify(plan.config, null, 2)}\n`;
  const configAbs = path.join(params.outDir, "adapter_config.json");
  await writeFile(configAbs, configText);
  return {
    weights: { abs: path.join(params.outDir, "adapter_model.safetensors"), ...weights },
    config: { abs: configAbs, size: Buffer.byteLength(configText) },
    issues,
    warnings,
  };
}
