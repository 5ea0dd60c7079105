import type { UploadEvent } from "./hub/create-hub-client.js";

/** One repo an upload is about to publish into, as the line announcing it names it. */
export interface PublishingRepo {
  type: "model" | "dataset";
  repoId: string;
  files: number;
  bytes: number;
}

/**
 * What the library tells the outside while it works; only output/ turns these into text. Library
 * code never prints.
 */
export type CommandEvent =
  | { type: "warning"; message: string }
  | { type: "info"; message: string; verbose: boolean }
  | { type: "run-selected"; run: { path: string; selectedBy: string } }
  /** A run is checked and staged, and its upload starts now: what goes where, and how much. */
  | { type: "publishing"; run: string; repos: PublishingRepo[] }
  | UploadEvent;
