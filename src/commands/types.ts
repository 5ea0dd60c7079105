import type { UploadEvent } from "../hub/create-hub-client.js";
import type { ArtifactKind } from "../runs/detect-artifact-kinds.js";
import type { SelectedRun } from "../runs/select-run.js";

export type CommandEvent =
  | { type: "warning"; message: string }
  | { type: "info"; message: string; verbose: boolean }
  | { type: "run-selected"; run: SelectedRun }
  | UploadEvent;

export interface ResultFile {
  path: string;
  size: number;
  origin: "run" | "sanitized" | "generated" | "converted";
}

/** What a run of the tool did; printed as text, or as one JSON object with --json. */
export interface ProcessResult {
  status: "uploaded" | "unchanged" | "blocked" | "skipped" | "dry-run";
  /** Why it was blocked or skipped. */
  reason: string | undefined;
  run: {
    name: string;
    path: string;
    selectedBy: SelectedRun["selectedBy"];
    timestamp: string | undefined;
    kinds: ArtifactKind[];
  };
  /** The run's MLX adapter was converted to PEFT for the upload. */
  converted: boolean;
  hubUrl: string;
  repoId: string | undefined;
  /** The repo's URL; for a blocked upload, the clearly fake https://huggingface.co/test-blocked/<repo-id>. */
  url: string | undefined;
  private: boolean;
  created: boolean | undefined;
  commit: { oid: string; url: string; title: string } | undefined;
  files: ResultFile[];
  totalBytes: number;
  /** Repo paths sent in the commit (only what changed); undefined when nothing was uploaded. */
  sent: string[] | undefined;
  excluded: Array<{ path: string; reason: string }>;
  notes: string[];
  warnings: string[];
  config: { path: string; origin: string };
}

export interface ListRunsResult {
  dir: string;
  runs: Array<{ name: string; timestamp: string; kinds: ArtifactKind[]; size: number; files: number }>;
  ignored: Array<{ name: string; reason: string }>;
}
