/** One training stage as the run manifest records it; paths are run-relative POSIX, already checked. */
export interface RunStage {
  /** "stage1", "stage2", … or "training" for a single-stage manifest. */
  name: string;
  adaptersPath: string | undefined;
  trainingDataPath: string | undefined;
  evaluationPath: string | undefined;
  /** v1.0 sequential manifests keep the fused final model inside stage 2. */
  finalModelPath: string | undefined;
  trainingParams: Record<string, unknown>;
  datasetStats: Record<string, unknown>;
}

/** `run-manifest.json`, normalised across the run manager's versions. */
export interface RunManifest {
  version: string;
  runId: string | undefined;
  timestamp: string | undefined;
  /** As recorded: usually the local MLX base model's folder name, not a Hub id. */
  baseModel: string | undefined;
  finalModelPath: string | undefined;
  /** In training order; the last one produced the published model. */
  stages: RunStage[];
}

export const MANIFEST_FILE = "run-manifest.json";
