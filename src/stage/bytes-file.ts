import { createHash } from "node:crypto";
import type { RunFile } from "../runs/inspect-run.js";
import { gitBlobSha1 } from "../util/git-blob-sha1.js";
import type { StagedFile } from "./staged-upload.js";

/** A small generated file held in memory, hashed once: it never needs a second read. */
export function bytesFile(
  pathInRepo: string,
  origin: StagedFile["origin"],
  text: string,
  source: RunFile | undefined,
): StagedFile {
  const bytes = new TextEncoder().encode(text);
  return {
    pathInRepo,
    origin,
    size: bytes.byteLength,
    content: { type: "bytes", bytes },
    source,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    gitSha1: gitBlobSha1(bytes),
    pending: false,
  };
}
