import { createXetHasher, encodeShard, hexToHash, XET_LIMITS } from "../../xet/index.js";
import { createLimiter } from "../../util/create-limiter.js";
import { sharedAbortController } from "../../util/shared-abort-controller.js";
import type { UploadEvent } from "../hub-client.js";
import type { HubCall } from "../transport/hub-call.js";
import { createCasClient, type CasClient } from "./create-cas-client.js";
import { createXetTokenSource } from "./create-xet-token-source.js";
import { createXetUploadPlan, type SealedXorb, type XetFileOutcome } from "./create-xet-upload-plan.js";
import { startXetWorkers } from "./start-xet-workers.js";
import type { XetGrant } from "./xet-grant.js";
import type { XetSource } from "./xet-source.js";

/**
 * Xorbs held in memory at once, built or being sent: enough to keep a worker building while another
 * xorb is on the wire.
 */
const XORBS_IN_MEMORY = 2;
/**
 * Chunk data per xorb. The spec allows 64 MiB (hf_xet fills xorbs to it), but two of those beside
 * the process itself, its two worker threads and their read buffers (about 110 MiB measured) would
 * pass the 200 MiB an upload may take; two of 32 MiB stay well within it, and only double the number
 * of xorb requests.
 */
const XORB_DATA_BYTES = 32 * 1024 * 1024;
/** A xorb's largest serialized size: its chunks stored as they are, and an 8-byte header for each of up to 8192. */
const XORB_BUFFER_BYTES = XORB_DATA_BYTES + 8 * XET_LIMITS.maxXorbChunks;
/** Global-dedup queries in flight at once. */
const QUERIES_IN_FLIGHT = 8;

/** One file of a Xet upload: its repo path, where its bytes are, and its SHA-256 when already known. */
export interface XetUploadFile {
  readonly path: string;
  readonly source: XetSource;
  readonly sha256: string | undefined;
}

/** What a Xet upload did for one file: its outcome in the plan, and the bytes of it sent in xorbs. */
export interface XetSentFile extends XetFileOutcome {
  readonly sentBytes: number;
}

/** A Xet upload in progress; see startXetUpload. */
export interface XetUpload {
  /** A file that may go through Xet (once per path); nothing is read until it is hashed or sent. */
  add(file: XetUploadFile): void;
  /**
   * Chunks (string form) worth asking the CAS about before any file is settled: probes of the
   * content the repo held before (its last version's first and eligible chunks, kept from when it was
   * sent), so a changed file dedups against its last version even when its own first chunk changed.
   */
  hint(probes: readonly string[]): void;
  /** Reads a file whose SHA-256 is unknown: its Xet chunks and its SHA-256 in one pass; resolves with the SHA-256. */
  hash(path: string): Promise<string>;
  /** The Hub routed these files to Xet (the LFS batch answer), with this grant: dedup them and send what it lacks. */
  send(paths: readonly string[], grant: XetGrant): void;
  /** The file goes another way (the Hub has it, or takes it through LFS): its chunks are not sent. */
  drop(path: string): void;
  /**
   * Once every file has been sent or dropped: waits for every xorb, then registers the files with
   * the shard(s). Returns what was done for each file sent, by path, and the bytes on the wire.
   */
  finish(): Promise<{ files: Map<string, XetSentFile>; wireBytes: number }>;
  /** Stops everything and ends the worker threads; safe to call twice. */
  close(): Promise<void>;
}

interface Tracked {
  readonly file: XetUploadFile;
  sha256: string | undefined;
  scan: Promise<string | undefined> | undefined;
  scanned: boolean;
  routed: boolean;
  dropped: boolean;
  /** Queries of this file not yet answered: each holds back the chunks from where its block started. */
  pending: Array<{ from: number }>;
  /** Queries found before the file was routed (no CAS token yet). */
  deferred: Array<{ hash: Uint8Array; from: number }>;
  sentBytes: number;
  /** Xorb bytes of this file on the wire, per xorb, while they are sent. */
  sending: Map<string, number>;
}

/**
 * A Xet upload (spec "Upload Protocol"): worker threads chunk and hash each file (and take its
 * SHA-256 in the same read when it is not known yet), global-dedup queries ask the CAS about each
 * file's first chunk and eligible ones (the file's chunks wait only for the queries found up to
 * them), the plan cuts the new chunks into xorbs, workers build each xorb from the files and it is
 * sent as soon as it is sealed (two at most in memory), and the shard registers the files once every
 * xorb has landed. Reading, chunking, hashing and compressing all happen off the main thread,
 * overlapped with the requests. The first failure stops everything; nothing is left running.
 */
export function startXetUpload(
  call: HubCall,
  params: {
    testSignals: readonly string[];
    now?: () => number;
    signal?: AbortSignal | undefined;
    onEvent?: ((event: UploadEvent) => void) | undefined;
  },
): XetUpload {
  const { onEvent } = params;
  const stopper = sharedAbortController();
  const onAbort = (): void => stopper.abort(params.signal?.reason);
  params.signal?.addEventListener("abort", onAbort, { once: true });
  const signal = stopper.signal;
  const hasher = createXetHasher();
  const plan = createXetUploadPlan(hasher, { maxXorbBytes: XORB_DATA_BYTES });
  const workers = startXetWorkers({ signal });
  const memory = createLimiter(XORBS_IN_MEMORY);
  /** Xorb buffers not in use: at most XORBS_IN_MEMORY are ever made, each built into and sent again and again. */
  const buffers: ArrayBuffer[] = [];
  const queries = createLimiter(QUERIES_IN_FLIGHT);
  const sentXorbs = new Map<string, number>();
  let wireBytes = 0;
  let cas: CasClient | undefined;
  /** Probes not asked yet (no CAS token yet), and those asked and not yet answered: no file settles before. */
  const hints: Uint8Array[] = [];
  let hintsPending = 0;
  let failure: { error: unknown } | undefined;
  const running = new Set<Promise<void>>();
  let changed: (() => void) | undefined;
  const wake = (): void => {
    const resume = changed;
    changed = undefined;
    resume?.();
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    stopper.abort(error);
    wake();
  };
  const track = (task: Promise<unknown>): void => {
    const settled = task.then(
      () => undefined,
      (error: unknown) => fail(error),
    );
    running.add(settled);
    void settled.finally(() => {
      running.delete(settled);
      wake();
    });
  };

  const tracked = new Map<string, Tracked>();
  const get = (path: string): Tracked => {
    const found = tracked.get(path);
    if (found === undefined) {
      throw new Error(`${path} is not part of this Xet upload`);
    }
    return found;
  };
  const size = (entry: Tracked): number =>
    entry.file.source.kind === "file" ? entry.file.source.identity.size : entry.file.source.bytes.length;

  /** Tells how much of a routed file is done: found on the Hub, repeated, or sent. */
  const report = (entry: Tracked): void => {
    const outcome = plan.progress(entry.file.path);
    const inFlight = [...entry.sending.values()].reduce((sum, bytes) => sum + bytes, 0);
    const total = size(entry);
    const bytes = Math.min(total, outcome.dedupedBytes + outcome.repeatedBytes + entry.sentBytes + inFlight);
    onEvent?.({
      type: "file",
      path: entry.file.path,
      state: "uploading",
      progress: total === 0 ? 1 : bytes / total,
      bytes,
      totalBytes: total,
      dedupedBytes: outcome.dedupedBytes,
    });
  };

  const sendXorb = (xorb: SealedXorb): void => {
    track(
      (async () => {
        const release = await memory.acquire();
        try {
          signal.throwIfAborted();
          const bytes = await workers.build(
            xorb.pieces,
            xorb.chunkHashes,
            buffers.pop() ?? new ArrayBuffer(XORB_BUFFER_BYTES),
          );
          const files = [...xorb.bytesOfFile.keys()].map(get);
          const share = (sent: number): void => {
            // The file's part of what the socket took, in proportion: progress, not accounting.
            for (const entry of files) {
              const part = (xorb.bytesOfFile.get(entry.file.path) ?? 0) * (sent / Math.max(1, bytes.byteLength));
              entry.sending.set(xorb.hashHex, part);
              report(entry);
            }
          };
          const of = files.map((entry) => entry.file.path).join(", ");
          onEvent?.({ type: "storage-object", hash: xorb.hashHex, paths: files.map((entry) => entry.file.path) });
          await (cas as CasClient).uploadXorb(xorb.hashHex, bytes, of, share);
          sentXorbs.set(xorb.hashHex, bytes.byteLength);
          wireBytes += bytes.byteLength;
          for (const entry of files) {
            entry.sending.delete(xorb.hashHex);
            entry.sentBytes += xorb.bytesOfFile.get(entry.file.path) ?? 0;
            report(entry);
          }
          // Sent: its buffer takes the next xorb (one whose xorb failed is dropped: the upload stops anyway).
          buffers.push(bytes.buffer as ArrayBuffer);
        } finally {
          release();
        }
      })(),
    );
  };

  /** Settles what a routed file's answered queries allow, and sends the xorbs that fill up. */
  const settle = (entry: Tracked): void => {
    if (!entry.routed || entry.dropped || failure !== undefined || hintsPending > 0) {
      return;
    }
    const upTo = Math.min(plan.progress(entry.file.path).chunks, ...entry.pending.map((query) => query.from));
    for (const xorb of plan.settle(entry.file.path, upTo)) {
      sendXorb(xorb);
    }
    report(entry);
  };

  const ask = (entry: Tracked, hash: Uint8Array, from: number): void => {
    const query = { from };
    entry.pending.push(query);
    track(
      (async () => {
        const release = await queries.acquire();
        try {
          signal.throwIfAborted();
          const answer = await (cas as CasClient).queryChunk(hash);
          if (answer !== undefined) {
            plan.addDedupAnswer(answer);
          }
        } finally {
          release();
          entry.pending.splice(entry.pending.indexOf(query), 1);
          settle(entry);
        }
      })(),
    );
  };

  /** Asks about the hinted probes (once there is a CAS token); every routed file settles once all are answered. */
  const askHints = (): void => {
    for (const hash of hints.splice(0)) {
      hintsPending++;
      plan.asked(hash);
      track(
        (async () => {
          const release = await queries.acquire();
          try {
            signal.throwIfAborted();
            const answer = await (cas as CasClient).queryChunk(hash);
            if (answer !== undefined) {
              plan.addDedupAnswer(answer);
            }
          } finally {
            release();
            hintsPending--;
            for (const entry of tracked.values()) {
              settle(entry);
            }
          }
        })(),
      );
    }
  };

  const scan = (entry: Tracked): Promise<string | undefined> => {
    entry.scan ??= (async () => {
      const total = size(entry);
      const { sha256 } = await workers.scan(entry.file.source, {
        sha256: entry.sha256 === undefined,
        onBlock: (block) => {
          const from = plan.progress(entry.file.path).chunks;
          for (const hash of plan.addChunks(entry.file.path, block.hashes, block.sizes)) {
            if (cas === undefined || !entry.routed) {
              entry.deferred.push({ hash, from });
            } else {
              ask(entry, hash, from);
            }
          }
          if (!entry.routed) {
            onEvent?.({
              type: "file",
              path: entry.file.path,
              state: "hashing",
              progress: total === 0 ? 1 : block.scanned / total,
              bytes: block.scanned,
              totalBytes: total,
            });
          }
          settle(entry);
        },
      });
      entry.scanned = true;
      entry.sha256 ??= sha256;
      settle(entry);
      return entry.sha256;
    })();
    const started = entry.scan;
    track(started);
    return started;
  };

  return {
    add(file) {
      if (tracked.has(file.path)) {
        return;
      }
      tracked.set(file.path, {
        file,
        sha256: file.sha256,
        scan: undefined,
        scanned: false,
        routed: false,
        dropped: false,
        pending: [],
        deferred: [],
        sentBytes: 0,
        sending: new Map(),
      });
      plan.addFile(file.path, file.source);
    },

    hint(probes) {
      for (const probe of probes) {
        if (/^[0-9a-f]{64}$/.test(probe)) {
          hints.push(hexToHash(probe));
        }
      }
      if (cas !== undefined) {
        askHints();
      }
    },

    async hash(path) {
      const sha256 = await scan(get(path));
      if (sha256 === undefined) {
        throw new Error(`${path} was read without its SHA-256`);
      }
      return sha256;
    },

    send(paths, grant) {
      if (failure !== undefined) {
        return;
      }
      try {
        if (cas === undefined) {
          const tokens = createXetTokenSource({
            call,
            grant,
            testSignals: params.testSignals,
            now: params.now ?? Date.now,
            signal,
          });
          cas = createCasClient({ call, tokens, signal });
          askHints();
        }
      } catch (error) {
        fail(error);
        return;
      }
      for (const path of paths) {
        const entry = get(path);
        entry.routed = true;
        for (const { hash, from } of entry.deferred.splice(0)) {
          ask(entry, hash, from);
        }
        void scan(entry);
        settle(entry);
      }
      wake();
    },

    drop(path) {
      get(path).dropped = true;
      wake();
    },

    async finish() {
      const routed = (): Tracked[] => [...tracked.values()].filter((entry) => entry.routed && !entry.dropped);
      const done = (entry: Tracked): boolean =>
        entry.scanned && plan.progress(entry.file.path).settled === plan.progress(entry.file.path).chunks;
      // Every routed file read and settled; then nothing but xorbs can be in flight.
      while (failure === undefined && !routed().every(done)) {
        await new Promise<void>((resolve) => (changed = resolve));
      }
      if (failure === undefined) {
        for (const xorb of plan.sealOpen()) {
          sendXorb(xorb);
        }
      }
      while (running.size > 0) {
        await Promise.all([...running]);
      }
      if (failure !== undefined) {
        throw failure.error;
      }
      const files = new Map<string, XetSentFile>();
      const sha256s = new Map<string, string>();
      for (const entry of routed()) {
        sha256s.set(entry.file.path, entry.sha256 ?? "");
        files.set(entry.file.path, { ...plan.outcome(entry.file.path), sentBytes: entry.sentBytes });
      }
      if (sha256s.size > 0) {
        for (const shard of plan.shards(sha256s, sentXorbs)) {
          const bytes = encodeShard(shard);
          await (cas as CasClient).uploadShard(bytes);
          wireBytes += bytes.byteLength;
        }
        for (const entry of routed()) {
          report(entry);
        }
      }
      return { files, wireBytes };
    },

    async close() {
      params.signal?.removeEventListener("abort", onAbort);
      if (!stopper.signal.aborted) {
        stopper.abort(new Error("the Xet upload was closed"));
      }
      await workers.close();
      await Promise.all([...running]);
    },
  };
}
