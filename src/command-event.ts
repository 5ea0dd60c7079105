import type { UploadEvent } from "./hub/create-hub-client.js";

/**
 * What the library tells the outside while it works; only output/ turns these into text. Library
 * code never prints.
 */
export type CommandEvent =
  | { type: "warning"; message: string }
  | { type: "info"; message: string; verbose: boolean }
  | { type: "run-selected"; run: { path: string; selectedBy: string } }
  | UploadEvent;
