import type { ScannedBlock } from "./scan-xet-source.js";
import type { XetSource, XorbPiece } from "./xet-source.js";

/** What the main thread asks a Xet worker thread (xet-worker.ts) to do; one job at a time. */
export type XetWorkerJob =
  | { type: "scan"; id: number; source: XetSource; sha256: boolean; blockBytes: number }
  | { type: "build"; id: number; pieces: readonly XorbPiece[]; hashes: Uint8Array; buffer: ArrayBuffer };

/** What a Xet worker thread answers: blocks while it scans, then the result of the job, or why it failed. */
export type XetWorkerAnswer =
  | ({ type: "block"; id: number } & ScannedBlock)
  | { type: "scanned"; id: number; sha256: string | undefined }
  /** The xorb is the first `length` bytes of `buffer` (the one the job brought, handed back). */
  | { type: "built"; id: number; buffer: ArrayBuffer; length: number }
  | {
      type: "failed";
      id: number;
      message: string;
      /** An errno code (ENOENT, EACCES…) when reading failed. */
      code: string | undefined;
      /** Set when the file is no longer the one that was checked: its label. */
      changed: string | undefined;
      /** The file that could not be read (path and label), when reading failed. */
      file: { path: string; label: string } | undefined;
    };
