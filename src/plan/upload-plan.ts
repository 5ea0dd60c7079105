import type { ArtifactKind } from "../runs/detect-artifact-kinds.js";
import type { RunFile } from "../runs/inspect-run.js";
import type { DatasetSplitSummary } from "../validate/validated-run.js";

/** Where a file's bytes come from. Only converted weights need writing; the rest is known now. */
export type PlannedContent =
  | { type: "run"; file: RunFile }
  | { type: "text"; text: string; from: RunFile | undefined }
  | { type: "converted-weights" };

export interface PlannedFile {
  pathInRepo: string;
  origin: "run" | "sanitized" | "generated" | "converted";
  content: PlannedContent;
}

export interface RepoPlan {
  type: "model" | "dataset";
  /** Without the namespace, which is known only once the token's owner is (or from the config). */
  name: string;
  /** Everything but the README.md card, which needs the final repo id. */
  files: PlannedFile[];
}

/** What a run's upload will be, decided before any file is written or any request is sent. */
export interface UploadPlan {
  runName: string;
  kinds: ArtifactKind[];
  model: RepoPlan;
  dataset: RepoPlan | undefined;
  /** The dataset's splits as counted, for its card and the model card. */
  splits: DatasetSplitSummary[];
  /** What planning decided to leave out or change, e.g. "training-data/: published as a dataset repo". */
  notes: string[];
}
