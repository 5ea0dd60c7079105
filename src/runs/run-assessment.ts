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
  /** Problems that make the run unusable whatever its model (a broken manifest, say); run-relative. */
  issues: RunIssue[];
  /** What the model lacks to be complete; non-empty means "still training or unfinished". */
  missing: string[];
}
