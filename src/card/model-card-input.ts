import type { MlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import type { ArtifactKind } from "../runs/detect-artifact-kinds.js";
import type { StageRankBreak } from "../validate/stage-rank-break.js";

/** The facts a model card states, gathered by buildModelCardInput; renderModelCard turns them into README.md. */
export interface ModelCardInput {
  /** Full repo id when known ("alice/run"), else just the run name. */
  repoId: string;
  runName: string;
  runTimestamp: string | undefined;
  /** What the repo holds, most important first ("peft" first when the MLX adapter was converted). */
  kinds: readonly ArtifactKind[];
  baseModel: string | undefined;
  /** What the run was trained on when that is not `baseModel` (a local 4-bit MLX folder, say). */
  trainingBase?: { name: string; bits: number | undefined } | undefined;
  license: string;
  libraryName: "mlx" | "peft" | "transformers";
  /** Folder of the MLX adapter files in the repo, when there are any ("" for the root). */
  mlxAdapterPath: string | undefined;
  /** The run's adapter_config.json (mlx-lm), as readMlxAdapterConfig reads it. */
  mlxAdapterConfig: MlxAdapterConfig | undefined;
  /** The PEFT adapter we wrote, when the MLX adapter was converted. */
  peft?:
    | { r: number; alpha: number; dropout: number; targetModules: string[]; layers: number[] | null; dora: boolean }
    | undefined;
  /** The run's training_metadata.json, already sanitized. */
  trainingMetadata: Record<string, unknown> | undefined;
  /** Where trainingMetadata was read, relative to the model folder (and so in the repo). */
  trainingMetadataFile?: string | undefined;
  /** A fused model whose weights MLX saved (safetensors format "mlx"), so mlx-lm loads it. */
  mlxFused?: boolean | undefined;
  /** A fused model whose tokenizer has a chat template. */
  chatTemplate?: boolean | undefined;
  /** Framework versions the run's own files record, with the file each came from. */
  frameworkVersions?: ReadonlyArray<{ name: string; version: string; source: string }> | undefined;
  /** Hub dataset ids for the front matter (local paths never appear here). */
  datasets?: string[];
  /** The dataset repo published with this model: the run's own training data. */
  trainingData?: { id: string; splits: ReadonlyArray<{ split: string; examples: number }> } | undefined;
  /** The stages of a run trained in stages, in order; the last one produced this model. */
  stages?: ReadonlyArray<{
    name: string;
    trainingParams: Record<string, unknown>;
    datasetStats: Record<string, unknown>;
    /** The settings mlx-lm wrote into this stage's own adapter_config.json, when it could be read. */
    adapterSettings?: ReadonlyArray<readonly [string, string]> | undefined;
  }>;
  /** Consecutive stages whose adapters' ranks differ: then no stage is said to continue from the previous one. */
  stageRankBreak?: StageRankBreak | undefined;
  /** Evaluation result files the run recorded, with the stage that wrote them. */
  evaluation?: ReadonlyArray<{ stage: string | undefined; file: string; results: unknown }>;
  /** Figures that map cleanly onto Hub `model-index` metrics. */
  modelIndex?:
    | { dataset: { id: string; split: string }; metrics: ReadonlyArray<{ type: string; name: string; value: number }> }
    | undefined;
  files: ReadonlyArray<{ path: string; size: number }>;
  toolVersion: string;
  /** In a stable repo (one repo, a tag per run): the other runs published there. */
  publishedRuns?: readonly string[] | undefined;
}
