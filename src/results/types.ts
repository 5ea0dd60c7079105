import type { RunIssue } from "../errors.js";
import type { ArtifactKind } from "../runs/detect-artifact-kinds.js";

export interface ResultFile {
  path: string;
  size: number;
  origin: "run" | "sanitized" | "generated" | "converted";
}

/** One repo's part of the result. */
export interface RepoResult {
  status: "uploaded" | "unchanged" | "blocked" | "dry-run";
  repoId: string | undefined;
  /** The repo's URL; for a blocked upload, a clearly fake https://huggingface.co/…test-blocked/<repo-id>. */
  url: string | undefined;
  private: boolean;
  created: boolean | undefined;
  /** The commit made; for an unchanged repo, the commit that already holds the run (no title: not ours). */
  commit: { oid: string; url: string; title?: string } | undefined;
  files: ResultFile[];
  totalBytes: number;
  /** Repo paths sent in the commit (only what changed); undefined when nothing was uploaded. */
  sent: string[] | undefined;
  /** Files an earlier run of the tool published that this run lacks, deleted in the commit (a stable repo). */
  deleted?: string[] | undefined;
  /** Files this run lacks that the tool did not publish (someone else's), left in place (a stable repo). */
  kept?: string[] | undefined;
  /** The branch committed to (or the pull request's base). */
  branch?: string | undefined;
  /** A stable repo's tag for this run, and whether this upload created it. */
  tag?: { name: string; created: boolean } | undefined;
  /** With --create-pr: the pull request that holds the upload. */
  pullRequest?: { url: string } | undefined;
  /**
   * An upload's traffic to the storage: `bytes` of the files stored as LFS files, `sentBytes` sent for
   * them (LFS PUTs, or Xet xorbs and shards: only the chunks the Hub lacked, compressed), and
   * `dedupedBytes` of them the Hub already held.
   */
  storage?: { bytes: number; sentBytes: number; dedupedBytes: number } | undefined;
}

/**
 * What a run of the tool did; printed as text, or as one JSON object with --json. The model repo's
 * part sits at the top level (as the first version's JSON had it); the dataset repo's under `dataset`.
 */
export interface ProcessResult extends Omit<RepoResult, "status"> {
  status: "uploaded" | "unchanged" | "blocked" | "skipped" | "dry-run";
  /** Why it was blocked or skipped. */
  reason: string | undefined;
  run: {
    name: string;
    path: string;
    selectedBy: "newest" | "explicit" | "direct";
    timestamp: string | undefined;
    layout: "flat" | "staged";
    /** What the model repo is made from: the run folder, its final model, or its last stage's adapters. */
    modelPath: string;
    kinds: ArtifactKind[];
  };
  /** Newer runs passed over because they are incomplete. */
  skippedRuns: Array<{ name: string; missing: string[] }>;
  /** The run's MLX adapter was converted to PEFT for the upload. */
  converted: boolean;
  hubUrl: string;
  /** The training-data dataset repo, when the run has one and datasets are on. */
  dataset: RepoResult | undefined;
  excluded: Array<{ path: string; reason: string }>;
  notes: string[];
  warnings: string[];
  config: { path: string; origin: string };
}

export interface ListedRun {
  name: string;
  timestamp: string;
  layout: "flat" | "staged";
  status: "complete" | "incomplete" | "invalid";
  /**
   * For incomplete runs: what is missing (each message a sentence naming its file); for invalid ones:
   * the problems found so far. `file` is relative to the run folder ("" for the folder itself).
   */
  problems: RunIssue[];
  kinds: ArtifactKind[];
  size: number;
  files: number;
  /** Asked of the Hub when a token is available (not with --offline); undefined: not asked. */
  published?: boolean | undefined;
}

export interface ListRunsResult {
  dir: string;
  runs: ListedRun[];
  ignored: Array<{ name: string; reason: string }>;
}

/** One run of a backlog (--all), as the summary and --json show it. */
export interface BacklogEntry {
  run: string;
  status: ProcessResult["status"] | "failed" | "incomplete";
  repoId: string | undefined;
  url: string | undefined;
  commit: string | undefined;
  tag?: string;
  /** With --dry-run: whether the Hub already has this run (asked when a token is available). */
  published?: boolean | undefined;
  dataset?: { status: RepoResult["status"]; repoId: string | undefined; commit: string | undefined };
  /** Why it failed, or what an incomplete run lacks, on one line. */
  error?: string;
  /** A failed or incomplete run's problems, one each (validation's list, or the parts an incomplete run lacks). */
  problems?: RunIssue[];
  /**
   * An incomplete run: true when no newer run is finished, so training may still be writing it;
   * false when a newer run is finished, so it was abandoned or damaged (counted as a failure).
   */
  stillTraining?: boolean;
}

export interface AllResult {
  dir: string;
  runs: BacklogEntry[];
}
