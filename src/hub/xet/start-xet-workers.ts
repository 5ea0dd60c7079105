import os from "node:os";
import { Worker } from "node:worker_threads";
import { FileChangedError } from "../../errors.js";
import { toLocalFileError } from "../../util/to-local-file-error.js";
import type { ScannedBlock } from "./scan-xet-source.js";
import type { XetWorkerAnswer, XetWorkerJob } from "./xet-worker-protocol.js";
import type { XetSource, XorbPiece } from "./xet-source.js";

/** A pool of Xet worker threads; see startXetWorkers. */
export interface XetWorkers {
  /** Chunks and hashes a source (and takes its SHA-256 when asked), reporting each block's chunks as found. */
  scan(
    source: XetSource,
    options: { sha256: boolean; onBlock: (block: ScannedBlock) => void },
  ): Promise<{ sha256: string | undefined }>;
  /**
   * Serializes the pieces' chunks as a xorb (their hashes: 32 bytes each, in order) into `buffer`,
   * which goes to the thread and comes back: the xorb is a view of the buffer returned.
   */
  build(pieces: readonly XorbPiece[], hashes: Uint8Array, buffer: ArrayBuffer): Promise<Uint8Array>;
  /** Ends every thread; jobs not finished reject. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Bytes a scan reads at a time: large enough that messages and reads are noise (a few hundred a
 * second), small enough to stay in cache; each thread holds one such buffer for good.
 */
const SCAN_BLOCK_BYTES = 2 * 1024 * 1024;

interface Pending {
  job: XetWorkerJob;
  onBlock: ((block: ScannedBlock) => void) | undefined;
  resolve: (answer: XetWorkerAnswer) => void;
  reject: (error: unknown) => void;
}

/**
 * The worker program: the built xet-worker.js next to this module (the CLI bundle puts both in
 * dist/cli), or, when this module runs from its TypeScript sources (the tests), xet-worker.ts through
 * tsx, which only the development install has.
 */
function spawnWorker(): Worker {
  // A small young generation: a thread allocates little that lives, and V8 would otherwise grow it to
  // tens of MiB per thread, all of it resident (the upload's memory budget is 200 MiB).
  const resourceLimits = { maxYoungGenerationSizeMb: 2 };
  if (import.meta.url.endsWith(".ts")) {
    const program = new URL("./xet-worker.ts", import.meta.url).href;
    return new Worker(
      `const { register } = await import("tsx/esm/api"); register(); await import(${JSON.stringify(program)});`,
      { eval: true, resourceLimits },
    );
  }
  return new Worker(new URL("./xet-worker.js", import.meta.url), { resourceLimits });
}

/**
 * Starts `threads` worker threads (default: one per core) that scan sources and build xorbs, one job
 * each at a time, builds before scans (a built xorb can be sent at once; a scan only adds to the
 * plan). A failure of a file is its own (FileChangedError, LocalFileError); a thread that dies fails
 * its job. `close` (or the signal) ends every thread at once.
 */
export function startXetWorkers(options: { threads?: number; signal?: AbortSignal | undefined } = {}): XetWorkers {
  const threads = Math.max(1, options.threads ?? os.availableParallelism());
  const queue: Pending[] = [];
  const idle: Worker[] = [];
  const running = new Map<Worker, Pending>();
  const workers: Worker[] = [];
  let closed: Promise<void> | undefined;
  let nextId = 1;
  /** Why work stops: the abort's own reason (an interruption reads as one), else `why`. */
  const stopped = (why: string): Error => {
    const reason: unknown = options.signal?.reason;
    return reason instanceof Error ? reason : new Error(why);
  };

  const failure = (answer: Extract<XetWorkerAnswer, { type: "failed" }>): Error => {
    if (answer.changed !== undefined) {
      return new FileChangedError(answer.changed, { cause: new Error(answer.message) });
    }
    if (answer.code !== undefined && answer.file !== undefined) {
      return toLocalFileError(Object.assign(new Error(answer.message), { code: answer.code }), answer.file);
    }
    return new Error(`a Xet worker thread failed: ${answer.message}`);
  };

  const dispatch = (): void => {
    while (closed === undefined && idle.length > 0 && queue.length > 0) {
      const worker = idle.pop() as Worker;
      const index = queue.findIndex((pending) => pending.job.type === "build");
      const [pending] = queue.splice(index >= 0 ? index : 0, 1);
      if (pending === undefined) {
        idle.push(worker);
        return;
      }
      running.set(worker, pending);
      worker.postMessage(pending.job, pending.job.type === "build" ? [pending.job.buffer] : []);
    }
  };

  const start = (): Worker => {
    const worker = spawnWorker();
    workers.push(worker);
    worker.on("message", (answer: XetWorkerAnswer) => {
      const pending = running.get(worker);
      if (pending === undefined || answer.id !== pending.job.id) {
        return;
      }
      if (answer.type === "block") {
        pending.onBlock?.(answer);
        return;
      }
      running.delete(worker);
      idle.push(worker);
      if (answer.type === "failed") {
        pending.reject(failure(answer));
      } else {
        pending.resolve(answer);
      }
      dispatch();
    });
    const died = (error: Error): void => {
      const pending = running.get(worker);
      running.delete(worker);
      pending?.reject(error);
    };
    worker.on("error", died);
    worker.on("exit", (code) => {
      if (closed === undefined) {
        died(new Error(`a Xet worker thread stopped (exit code ${code})`));
      }
    });
    return worker;
  };

  const submit = (job: XetWorkerJob, onBlock?: (block: ScannedBlock) => void): Promise<XetWorkerAnswer> => {
    if (closed !== undefined) {
      return Promise.reject(stopped("the Xet worker threads are closed"));
    }
    return new Promise<XetWorkerAnswer>((resolve, reject) => {
      queue.push({ job, onBlock, resolve, reject });
      if (workers.length < threads) {
        idle.push(start());
      }
      dispatch();
    });
  };

  const close = (): Promise<void> => {
    if (closed === undefined) {
      const reason = stopped("the Xet worker threads were closed");
      closed = Promise.all(workers.map((worker) => worker.terminate())).then(() => undefined);
      for (const pending of [...queue.splice(0), ...running.values()]) {
        pending.reject(reason);
      }
      running.clear();
      options.signal?.removeEventListener("abort", onAbort);
    }
    return closed;
  };
  const onAbort = (): void => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  return {
    async scan(source, { sha256, onBlock }) {
      const answer = await submit(
        { type: "scan", id: nextId++, source, sha256, blockBytes: SCAN_BLOCK_BYTES },
        onBlock,
      );
      return { sha256: answer.type === "scanned" ? answer.sha256 : undefined };
    },
    async build(pieces, hashes, buffer) {
      const answer = await submit({ type: "build", id: nextId++, pieces, hashes, buffer });
      if (answer.type !== "built") {
        throw new Error("a Xet worker thread answered a build with something else");
      }
      return new Uint8Array(answer.buffer, 0, answer.length);
    },
    close,
  };
}
