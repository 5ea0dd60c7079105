import type { RunIssue } from "../errors.js";
import type { DetectedArtifacts } from "./detect-artifact-kinds.js";
import type { RunFile, RunInspection } from "./inspect-run.js";
import type { RunManifest } from "./run-manifest.js";

export type DatasetSplitName = "train" | "validation" | "test";

export interface DatasetSplit {
  split: DatasetSplitName;
  /** `rel` is relative to the run folder. */
  file: RunFile;
}

export interface EvaluationFile {
  /** The stage that wrote it ("stage2"), or undefined for a flat run. */
  stage: string | undefined;
  /** Relative to the run folder. */
  rel: string;
  value: unknown;
}

/** One stage's mlx-lm adapter config, as far as it could be read (undefined: absent or unparsable). */
export interface StageAdapterConfig {
  stage: string;
  /** Relative to the run folder. */
  file: string;
  value: unknown;
}

/** What one run folder holds and whether it can be published: the input of validation. */
export interface RunAssessment {
  run: { name: string; path: string; timestamp: string | undefined };
  /** "staged": written by the pipeline's run manager (run-manifest.json); "flat": everything else. */
  layout: "flat" | "staged";
  manifest: RunManifest | undefined;
  /** The folder whose files make up the model repo, relative to the run ("" for the run itself). */
  modelDir: string;
  modelSource: "run" | "final-model" | "stage-adapters";
  /** The model folder, listed and read; its paths are relative to `modelDir`. */
  inspection: RunInspection;
  detected: DetectedArtifacts;
  /** The training data of the published stage, when the run kept it. */
  datasets: { dir: string; stage: string | undefined; splits: DatasetSplit[] } | undefined;
  evaluation: EvaluationFile[];
  /** A staged run's adapter config of every stage that has one, in training order; [] for a flat run. */
  stageAdapters: StageAdapterConfig[];
  /** Problems that make the run unusable whatever its model (a broken manifest, say); run-relative. */
  issues: RunIssue[];
  /** What the model lacks to be complete, each naming its file; non-empty means "still training or unfinished". */
  missing: RunIssue[];
}
