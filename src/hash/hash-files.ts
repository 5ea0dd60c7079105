import os from "node:os";
import { Worker } from "node:worker_threads";
import { hashFile } from "./hash-file.js";
import { hashWorkerSource } from "./hash-worker-source.js";

export interface FileToHash {
  path: string;
  size: number;
}

export interface HashedFile {
  path: string;
  size: number;
  sha256: string;
  /** The git blob sha1, for files up to `gitBlobLimit` bytes. */
  gitSha1: string | undefined;
}

export interface HashFilesOptions {
  /** Files up to this size also get their git blob sha1. */
  gitBlobLimit: number;
  /** Worker threads at most (default: the cores Node may use). */
  concurrency?: number;
  /** Aborting terminates every worker at once; the iteration then throws the signal's reason. */
  signal?: AbortSignal;
  /** Bytes hashed so far of one file, after every read (4 MiB). */
  onProgress?: (progress: { path: string; bytes: number; size: number }) => void;
  /** Files up to this size are hashed on the calling thread: starting a thread costs more (default 1 MiB). */
  inlineMaxBytes?: number;
}

type WorkerMessage =
  | { type: "progress"; id: number; bytes: number }
  | { type: "file-done"; id: number; sha256: string; gitSha1: string | undefined }
  | { type: "error"; id: number; message: string; code: string | undefined };

/**
 * Hashes files on a pool of worker threads (one file per thread at a time, large reads into one
 * reused buffer each) and yields each file's hashes as soon as that file is done, in completion
 * order, so a caller can start sending a file while others are still being hashed. Work starts at
 * the first `next()`. Stopping early (`break`), a failure or an abort terminates every worker
 * before the iteration ends; none is left running.
 */
export async function* hashFiles(
  files: readonly FileToHash[],
  options: HashFilesOptions,
): AsyncGenerator<HashedFile, void, undefined> {
  const { signal, onProgress, gitBlobLimit } = options;
  signal?.throwIfAborted();
  const inlineMax = options.inlineMaxBytes ?? 1024 * 1024;
  const large = files.filter((file) => file.size > inlineMax);
  const small = files.filter((file) => file.size <= inlineMax);
  const threads = Math.min(large.length, Math.max(1, options.concurrency ?? os.availableParallelism()));

  const finished: HashedFile[] = [];
  let remaining = files.length;
  let failure: { error: unknown } | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    notify();
  };
  const complete = (file: FileToHash, hashes: { sha256: string; gitSha1: string | undefined }): void => {
    finished.push({ path: file.path, size: file.size, ...hashes });
    remaining--;
    notify();
  };

  const workers: Worker[] = [];
  let nextLarge = 0;
  const startWorker = (): void => {
    const worker = new Worker(hashWorkerSource(), { eval: true });
    workers.push(worker);
    let current: FileToHash | undefined;
    const dispatch = (): void => {
      const index = nextLarge++;
      current = large[index];
      if (current === undefined || stopping) {
        current = undefined;
        void worker.terminate();
        return;
      }
      worker.postMessage({
        type: "file",
        id: index,
        path: current.path,
        size: current.size,
        gitSha1: current.size <= gitBlobLimit,
      });
    };
    worker.on("message", (message: WorkerMessage) => {
      if (current === undefined) {
        return;
      }
      if (message.type === "progress") {
        onProgress?.({ path: current.path, bytes: message.bytes, size: current.size });
      } else if (message.type === "file-done") {
        complete(current, { sha256: message.sha256, gitSha1: message.gitSha1 });
        dispatch();
      } else {
        fail(Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }));
      }
    });
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (current !== undefined && !stopping) {
        fail(new Error(`the hashing thread for ${current.path} stopped (exit code ${code})`));
      }
    });
    dispatch();
  };

  const onAbort = (): void => {
    stopping = true;
    for (const worker of workers) {
      void worker.terminate();
    }
    fail(signal?.reason);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  for (let i = 0; i < threads; i++) {
    startWorker();
  }
  const inline = (async () => {
    for (const file of small) {
      if (stopping) {
        return;
      }
      const hashes = await hashFile(file.path, file.size, {
        gitBlobLimit,
        ...(signal === undefined ? {} : { signal }),
        onProgress: (bytes) => onProgress?.({ path: file.path, bytes, size: file.size }),
      });
      complete(file, hashes);
    }
  })().catch(fail);

  try {
    for (;;) {
      if (failure !== undefined) {
        throw failure.error;
      }
      const next = finished.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (remaining === 0) {
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stopping = true;
    signal?.removeEventListener("abort", onAbort);
    await Promise.all(workers.map((worker) => worker.terminate()));
    await inline;
  }
}
