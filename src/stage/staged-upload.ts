import type { PlannedFile } from "../plan/upload-plan.js";
import type { RunFile } from "../runs/inspect-run.js";
import type { FileIdentity } from "../util/file-identity.js";
import type { Conversion } from "../validate/validated-run.js";

export interface StagedFile {
  pathInRepo: string;
  origin: PlannedFile["origin"];
  size: number;
  /** Where the bytes are: on disk (in the run, or the staging folder), or in memory (small generated files). */
  content: { type: "file"; abs: string; identity?: FileIdentity | undefined } | { type: "bytes"; bytes: Uint8Array };
  /** The run file it comes from, which keys the hash cache; undefined for generated content. */
  source: RunFile | undefined;
  /** Known when we produced the bytes ourselves, or from the hash cache. */
  sha256: string | undefined;
  gitSha1: string | undefined;
  /** Converted weights known from the cache but not yet written (see StagedUpload.pendingConversion). */
  pending: boolean;
}

export interface StagedRepo {
  type: "model" | "dataset";
  name: string;
  files: StagedFile[];
}

/** A conversion whose output the cache already vouches for: run it only if its file must be sent. */
export interface PendingConversion {
  conversion: Conversion;
  outDir: string;
  cacheKey: string;
}

/** The upload, ready to send but for the cards; every file's bytes exist or are one conversion away. */
export interface StagedUpload {
  model: StagedRepo;
  dataset: StagedRepo | undefined;
  pendingConversion: PendingConversion | undefined;
  warnings: string[];
}
