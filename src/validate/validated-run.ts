import type { PeftPlan } from "../convert/plan-peft-conversion.js";
import type { MlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import type { RunFile } from "../runs/inspect-run.js";
import type { MlxAdapterFiles } from "../runs/mlx-adapter-files.js";
import type { DatasetSplitName, RunAssessment } from "../runs/run-assessment.js";
import type { SafetensorsHeader } from "../safetensors/parse-safetensors-header.js";
import type { StageRankBreak } from "./stage-rank-break.js";

/** How the run's MLX adapter becomes PEFT files: decided by validation, carried out by staging. */
export interface Conversion {
  plan: PeftPlan;
  header: SafetensorsHeader;
  /** The MLX weights; `rel` relative to the model folder. */
  weights: RunFile;
  allowUntrained: boolean;
}

/**
 * What one field of the examples holds, counted over a split: how many of its parents (examples, or
 * list items) have it, the JSON types seen, and one level down, the fields of an object or of a
 * list's objects. Only a message's `role` keeps its values (a few, never the content).
 */
export interface FieldShape {
  count: number;
  /** "string", "integer", "number", "boolean", "null", "object", "list", sorted. */
  types: string[];
  /** For a list: how many items all the lists held. */
  items?: number;
  fields?: Record<string, FieldShape>;
  /** Distinct values, for `role` only, at most a few. */
  values?: string[];
}

export interface DatasetSplitSummary {
  split: DatasetSplitName;
  /** The file's name in the dataset repo. */
  pathInRepo: string;
  size: number;
  examples: number;
  /** Non-empty lines that are not a JSON object. */
  invalidLines: number;
  /** Counts of `metadata.quality` / `metadata.source`, only from lines that carry them. */
  quality: Record<string, number>;
  source: Record<string, number>;
  /** The examples' fields (the JSON objects' keys), as observeFields counts them. */
  fields: Record<string, FieldShape>;
}

/** A run that passed every check that can be made before the network: the input of planning. */
export interface ValidatedRun {
  assessment: RunAssessment;
  /** The Hub id the model is published for, and where that id came from. */
  baseModel: { id: string; source: string } | undefined;
  /**
   * What the run was trained on when that is not `baseModel` (e.g. a local 4-bit MLX folder),
   * with its quantization when the base models folder tells it.
   */
  trainingBase: { name: string; bits: number | undefined } | undefined;
  /** The MLX adapter's files and its config, read once (readMlxAdapterConfig). */
  mlxAdapter: (MlxAdapterFiles & { adapterConfig: MlxAdapterConfig | undefined }) | undefined;
  conversion: Conversion | undefined;
  /** The training data that would be published, counted. */
  splits: DatasetSplitSummary[];
  /** Stages whose adapters' ranks differ: the later did not continue from the earlier (a staged run only). */
  stageRankBreak: StageRankBreak | undefined;
  warnings: string[];
}
