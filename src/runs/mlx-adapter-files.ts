import type { DetectedArtifacts } from "./detect-artifact-kinds.js";

export interface MlxAdapterFiles {
  /** The adapter's folder relative to the model folder ("" for the model folder itself). */
  dir: string;
  weights: string;
  config: string;
}

/** Pure: where the MLX adapter's files are, the one place that knows mlx-lm's file names. */
export function mlxAdapterFiles(detected: Pick<DetectedArtifacts, "mlxAdapterDir">): MlxAdapterFiles | undefined {
  const dir = detected.mlxAdapterDir;
  if (dir === undefined) {
    return undefined;
  }
  const at = (name: string): string => (dir === "" ? name : `${dir}/${name}`);
  return { dir, weights: at("adapters.safetensors"), config: at("adapter_config.json") };
}
