import { planPeftConversion, type MlxScaling } from "../convert/plan-peft-conversion.js";
import type { MlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import type { RunIssue } from "../errors.js";
import type { DetectedArtifacts } from "../runs/detect-artifact-kinds.js";
import type { RunInspection } from "../runs/inspect-run.js";
import { mlxAdapterFiles } from "../runs/mlx-adapter-files.js";
import type { Conversion } from "./validated-run.js";

/**
 * Pure: checks the run's MLX adapter (its config as readMlxAdapterConfig read it, and its tensor
 * headers) and plans its PEFT conversion. No conversion when the run carries a PEFT adapter of its
 * own (it is published as it is), or has no MLX adapter, or its config is unusable (reported there).
 */
export function prepareConversion(params: {
  inspection: RunInspection;
  detected: DetectedArtifacts;
  config: MlxAdapterConfig | undefined;
  baseModel: string | undefined;
  scaling: MlxScaling | undefined;
  allowUntrained: boolean;
}): { conversion: Conversion | undefined; issues: RunIssue[] } {
  const { inspection, detected, config } = params;
  const mlx = mlxAdapterFiles(detected);
  if (mlx === undefined || config === undefined || detected.kinds.includes("peft")) {
    return { conversion: undefined, issues: [] };
  }
  const header = inspection.safetensors.get(mlx.weights);
  const weights = inspection.files.find((file) => file.rel === mlx.weights);
  if (!header?.ok || weights === undefined) {
    // Unreadable files are already reported by the run inspection.
    return { conversion: undefined, issues: [] };
  }
  const planned = planPeftConversion({
    config,
    tensors: header.value.tensors,
    weightsFile: mlx.weights,
    configFile: mlx.config,
    baseModel: params.baseModel,
    scaling: params.scaling,
  });
  return {
    issues: planned.issues,
    conversion:
      planned.plan === undefined
        ? undefined
        : { plan: planned.plan, header: header.value, weights, allowUntrained: params.allowUntrained },
  };
}
