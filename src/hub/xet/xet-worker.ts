// The program of a Xet worker thread (started by startXetWorkers): it scans sources (chunks, chunk
// hashes, SHA-256) and builds xorbs from their chunks, so chunking, hashing and compression run off
// the main thread, which only plans and sends.
import { parentPort } from "node:worker_threads";
import { createXetHasher } from "../../xet/index.js";
import { buildXorbFromPieces } from "./build-xorb-from-pieces.js";
import { scanXetSource } from "./scan-xet-source.js";
import { SourceChangedError } from "./source-changed-error.js";
import type { XetWorkerAnswer, XetWorkerJob } from "./xet-worker-protocol.js";

const port = parentPort;
const hasher = createXetHasher();
const post = (answer: XetWorkerAnswer, transfer: ArrayBuffer[] = []): void => port?.postMessage(answer, transfer);

/** The file a read failure names (openXetSource attaches it). */
function fileOf(error: unknown): { path: string; label: string } | undefined {
  const { sourcePath, sourceLabel } = (error ?? {}) as { sourcePath?: unknown; sourceLabel?: unknown };
  return typeof sourcePath === "string" && typeof sourceLabel === "string"
    ? { path: sourcePath, label: sourceLabel }
    : undefined;
}

port?.on("message", (job: XetWorkerJob) => {
  try {
    if (job.type === "scan") {
      const { sha256 } = scanXetSource(hasher, job.source, {
        sha256: job.sha256,
        blockBytes: job.blockBytes,
        onBlock: (block) =>
          post({ type: "block", id: job.id, ...block }, [
            block.hashes.buffer as ArrayBuffer,
            block.sizes.buffer as ArrayBuffer,
          ]),
      });
      post({ type: "scanned", id: job.id, sha256 });
    } else {
      const length = buildXorbFromPieces(job.pieces, job.hashes, new Uint8Array(job.buffer));
      post({ type: "built", id: job.id, buffer: job.buffer, length }, [job.buffer]);
    }
  } catch (error) {
    post({
      type: "failed",
      id: job.id,
      message: error instanceof Error ? error.message : String(error),
      code: (error as NodeJS.ErrnoException | undefined)?.code,
      changed: error instanceof SourceChangedError ? error.label : undefined,
      file: fileOf(error),
    });
  }
});
