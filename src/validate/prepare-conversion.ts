import { planPeftConversion, type MlxScaling } from "../convert/plan-peft-conversion.js";
import { readMlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import type { RunIssue } from "../errors.js";
import type { DetectedArtifacts } from "../runs/detect-artifact-kinds.js";
import type { RunInspection } from "../runs/inspect-run.js";
import { mlxAdapterFiles } from "../runs/mlx-adapter-files.js";
import type { Conversion } from "./validated-run.js";

/**
 * Pure: checks the run's MLX adapter against everything that can be known from its config and
 * tensor headers, and plans its PEFT conversion. No conversion when the run carries a PEFT adapter
 * of its own, or has no MLX adapter.
 */
export function prepareConversion(params: {
  inspection: RunInspection;
  detected: DetectedArtifacts;
  baseModel: string | undefined;
  scaling: MlxScaling | undefined;
  allowUntrained: boolean;
}): { conversion: Conversion | undefined; issues: RunIssue[] } {
  const { inspection, detected } = params;
  const mlx = mlxAdapterFiles(detected);
  if (mlx === undefined || detected.kinds.includes("peft")) {
    return { conversion: undefined, issues: [] };
  }
  const rawConfig = inspection.json.get(mlx.config);
  const header = inspection.safetensors.get(mlx.weights);
  const weights = inspection.files.find((file) => file.rel === mlx.weights);
  if (!rawConfig?.ok || !header?.ok || weights === undefined) {
    // Unreadable files are already reported by the run inspection.
    return { conversion: undefined, issues: [] };
  }
  const read = readMlxAdapterConfig(rawConfig.value, mlx.config);
  if (read.config === undefined) {
    return { conversion: undefined, issues: read.issues };
  }
  const planned = planPeftConversion({
    config: read.config,
    tensors: header.value.tensors,
    weightsFile: mlx.weights,
    configFile: mlx.config,
    baseModel: params.baseModel,
    scaling: params.scaling,
  });
  return {
    issues: [...read.issues, ...planned.issues],
    conversion:
      planned.plan === undefined
        ? undefined
        : { plan: planned.plan, header: header.value, weights, allowUntrained: params.allowUntrained },
  };
}
