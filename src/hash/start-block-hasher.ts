import { Worker } from "node:worker_threads";
import { hashWorkerSource } from "./hash-worker-source.js";

/** A sha256 over ranges of a SharedArrayBuffer, computed on a worker thread in the order given. */
export interface BlockHasher {
  /** Resolves once the range is hashed, so its bytes may be reused. */
  update(offset: number, length: number): Promise<void>;
  /** The sha256 of every range so far; ends the worker. */
  digest(): Promise<string>;
  /** Ends the worker (idempotent); pending calls reject. */
  close(): Promise<void>;
}

type WorkerMessage =
  | { type: "block-done"; id: number }
  | { type: "digest"; sha256: string }
  | { type: "error"; id: number | undefined; message: string };

/**
 * Starts a worker that hashes `buffer` ranges while the caller goes on producing and writing the
 * next ones: the hash no longer sits on the main thread's critical path.
 */
export function startBlockHasher(buffer: SharedArrayBuffer): BlockHasher {
  const worker = new Worker(hashWorkerSource(), { eval: true });
  const pending = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  let closed: Promise<void> | undefined;
  const DIGEST = 0;

  const failAll = (error: Error): void => {
    failure ??= error;
    for (const { reject } of pending.values()) {
      reject(failure);
    }
    pending.clear();
  };
  worker.on("message", (message: WorkerMessage) => {
    if (message.type === "error") {
      failAll(new Error(`hashing failed: ${message.message}`));
      return;
    }
    const id = message.type === "digest" ? DIGEST : message.id;
    const entry = pending.get(id);
    pending.delete(id);
    entry?.resolve(message.type === "digest" ? message.sha256 : "");
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`the hashing thread stopped (exit code ${code})`)));
  worker.postMessage({ type: "blocks", buffer });

  const call = (id: number, message: object): Promise<string> => {
    if (failure !== undefined) {
      return Promise.reject(failure);
    }
    return new Promise<string>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage(message);
    });
  };
  const close = (): Promise<void> => {
    closed ??= worker.terminate().then(() => undefined);
    return closed;
  };
  return {
    update: async (offset, length) => {
      const id = nextId++;
      await call(id, { type: "block", id, offset, length });
    },
    digest: async () => {
      try {
        return await call(DIGEST, { type: "digest" });
      } finally {
        await close();
      }
    },
    close,
  };
}
