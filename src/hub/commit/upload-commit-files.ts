import { createHash } from "node:crypto";
import { hashRepoFiles } from "../../hash/hash-repo-files.js";
import { createLimiter } from "../../util/create-limiter.js";
import { mapLimit } from "../../util/map-limit.js";
import type { CommitFileLine } from "./build-commit-body.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo, UploadEvent } from "../hub-client.js";
import { preuploadFiles } from "./preupload-files.js";
import { uploadLfsObjects, type LfsFile } from "../lfs/upload-lfs-objects.js";
import { SourceBlob } from "../transport/source-blob.js";
import { startXetUpload, type XetUpload } from "../xet/start-xet-upload.js";
import { sharedAbortController } from "../../util/shared-abort-controller.js";

/**
 * Larger files are stored in LFS whatever the preupload says: the Hub refuses regular files over
 * 10 MB. (Counted in MiB, so a file between the two waits for the verdict: that costs only time.)
 */
const CERTAIN_LFS_BYTES = 10 * 1024 * 1024;

/** Files sent to the storage at once, across every batch in flight (as commitIter's 5). */
const FILE_SLOTS = 5;
/**
 * LFS batch requests in flight at once. More than one, so a hash that arrives just after a request
 * left does not wait a round trip for it (a converted adapter's oid is known at once, the MLX
 * original's a few ms later); few, so that hashes arriving while all are in flight share the next.
 */
const BATCHES_IN_FLIGHT = 3;

export interface CommitContentFile {
  /** The path in the repo. */
  path: string;
  /** What is sent (a SourceBlob streams from disk and checks the file on every read). */
  content: Blob;
  /** The file on disk behind `content`, hashed there (on a worker thread for large files). */
  abs?: string | undefined;
  /** sha256 already known (staging, the conversion, the hash cache): not hashed again. */
  sha256?: string | undefined;
}

export interface UploadCommitFilesParams {
  repo: HubRepo;
  branch: string;
  isPullRequest: boolean;
  files: readonly CommitContentFile[];
  signal?: AbortSignal | undefined;
  onEvent?: ((event: UploadEvent) => void) | undefined;
  /**
   * Offer Xet storage in the LFS batch requests, as @huggingface/hub does (default false: LFS only).
   * Files the Hub routes to Xet are chunked, deduplicated and sent as xorbs (xet/startXetUpload), and
   * their SHA-256, when not known, is taken in the same read as their chunks.
   */
  xet?: boolean | undefined;
  /** The test-environment signals: a Xet storage URL of the production Hub is refused under them. */
  testSignals?: readonly string[] | undefined;
  /** Xet probes of what the repo held before (see XetUpload.hint), asked about before any file settles. */
  dedupHints?: readonly string[] | undefined;
}

/** The commit's file lines, and what reaching the storage took. */
export interface UploadedCommitFiles {
  lines: CommitFileLine[];
  storage: {
    /** Bytes of the files that went to the storage (LFS or Xet), whole. */
    bytes: number;
    /** Bytes sent to the storage: LFS PUT bodies, Xet xorbs and shards. */
    sentBytes: number;
    /** Bytes of the files the storage already held, never sent (whole LFS objects, Xet chunks). */
    dedupedBytes: number;
  };
  /** The Xet probes of each file sent through Xet, by path (XetFileOutcome.probes), to keep for its next version. */
  xetProbes: Map<string, readonly string[]>;
}

/** Files the Hub stores in LFS under its default rules, so their upload need not wait for the preupload. */
function certainlyLfs(file: CommitContentFile): boolean {
  return file.content.size > CERTAIN_LFS_BYTES || file.path.endsWith(".safetensors");
}

/**
 * Everything a commit needs before its NDJSON line can be sent: the preupload verdict for every
 * file, sent at once; the sha256 of the LFS files not known yet, hashed on worker threads meanwhile;
 * and each LFS file's batch request and PUTs as soon as its hash is known (up to three batch
 * requests in flight; hashes that arrive while all are go into the next one). Files that are certainly LFS start before the
 * preupload answers; the others wait for its verdict, which alone decides each commit line: a file
 * sent to LFS that the Hub calls regular is still committed inline. Returns the file lines in the
 * order given. The first failure stops everything else and is thrown once nothing is left running.
 */
export async function uploadCommitFiles(call: HubCall, params: UploadCommitFilesParams): Promise<UploadedCommitFiles> {
  const { repo, branch, isPullRequest, files, onEvent } = params;
  params.signal?.throwIfAborted();
  const stopper = sharedAbortController();
  const onAbort = (): void => stopper.abort(params.signal?.reason);
  params.signal?.addEventListener("abort", onAbort, { once: true });
  const signal = stopper.signal;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
    stopper.abort(error);
  };
  /** Every task started, so none outlives the call. */
  const running: Array<Promise<void>> = [];
  const track = (task: Promise<unknown>): void => {
    running.push(task.then(() => undefined, fail));
  };

  const xet: XetUpload | undefined = params.xet
    ? startXetUpload(call, { testSignals: params.testSignals ?? [], signal, onEvent })
    : undefined;
  const storage = { bytes: 0, sentBytes: 0, dedupedBytes: 0 };
  const xetProbes = new Map<string, readonly string[]>();
  xet?.hint(params.dedupHints ?? []);
  /** Puts a file in the Xet upload (once): a file on disk is read there, one in memory handed over. */
  const offerXet = async (file: CommitContentFile, sha256: string | undefined): Promise<void> => {
    if (xet === undefined) {
      return;
    }
    const source =
      file.content instanceof SourceBlob
        ? { kind: "file" as const, path: file.content.path, label: file.path, identity: file.content.identity }
        : { kind: "bytes" as const, bytes: new Uint8Array(await file.content.arrayBuffer()), label: file.path };
    xet.add({ path: file.path, source, sha256 });
  };

  const oids = new Map<string, string>();
  for (const file of files) {
    if (file.sha256 !== undefined) {
      oids.set(file.path, file.sha256);
    }
  }
  const lfs = new Set(files.filter(certainlyLfs).map((file) => file.path));

  // The storage is asked for each oid once; other paths with the same content follow its progress.
  const pathsByOid = new Map<string, string[]>();
  const queued: LfsFile[] = [];
  const slots = createLimiter(FILE_SLOTS);
  let batching = 0;
  let announced = false;
  const uploaded = (oid: string, bytes: number | undefined, size: number, stored = false): void => {
    for (const path of pathsByOid.get(oid) ?? []) {
      onEvent?.({
        type: "file",
        path,
        state: "uploading",
        progress: bytes === undefined || size === 0 ? 1 : bytes / size,
        bytes: bytes ?? size,
        totalBytes: size,
        oid,
        ...(stored ? { dedupedBytes: size } : {}),
      });
    }
  };
  /** A file known to go to LFS counts in the upload's total from then on, so the total does not grow as hashes arrive. */
  const announce = (path: string): void => {
    const size = byPath.get(path)?.content.size ?? 0;
    onEvent?.({ type: "file", path, state: "uploading", progress: size === 0 ? 1 : 0, bytes: 0, totalBytes: size });
  };
  const flush = (): void => {
    if (batching >= BATCHES_IN_FLIGHT || queued.length === 0 || signal.aborted) {
      return;
    }
    const group = queued.splice(0);
    batching++;
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        batching--;
        flush();
      }
    };
    track(
      uploadLfsObjects(call, {
        repo,
        branch,
        isPullRequest,
        files: group,
        signal,
        slots,
        onBatchAnswered: release,
        onProgress: ({ oid, bytes, size }) => uploaded(oid, bytes, size),
        xet:
          xet === undefined
            ? undefined
            : (routed, grant) =>
                xet.send(
                  routed.map((file) => file.path),
                  grant,
                ),
      })
        .then((outcomes) => {
          for (const outcome of outcomes) {
            if (outcome.sent === "xet") {
              continue;
            }
            xet?.drop(outcome.path);
            if (outcome.sent === "already-stored") {
              storage.dedupedBytes += outcome.size;
            } else {
              storage.sentBytes += outcome.size;
            }
            uploaded(outcome.oid, undefined, outcome.size, outcome.sent === "already-stored");
          }
        })
        .finally(release),
    );
  };
  const byPath = new Map(files.map((file) => [file.path, file]));
  const started = new Set<string>();
  /** Sends a file to LFS once it is both known to go there and hashed. */
  const consider = (path: string): void => {
    const file = byPath.get(path);
    const oid = oids.get(path);
    if (file === undefined || oid === undefined || !lfs.has(path) || started.has(path)) {
      return;
    }
    started.add(path);
    if (!announced) {
      announced = true;
      onEvent?.({ type: "phase", phase: "uploading" });
    }
    const same = pathsByOid.get(oid);
    if (same !== undefined) {
      same.push(path);
      return;
    }
    pathsByOid.set(oid, [path]);
    queued.push({ path, oid, content: file.content });
    flush();
  };

  const hashed = (path: string, sha256: string): void => {
    oids.set(path, sha256);
    consider(path);
  };
  const hashing = (path: string, bytes: number, size: number): void =>
    onEvent?.({
      type: "file",
      path,
      state: "hashing",
      progress: size === 0 ? 1 : bytes / size,
      bytes,
      totalBytes: size,
    });
  /**
   * Readies files bound for LFS storage: each is offered to the Xet upload (when Xet is offered),
   * those whose sha256 is known go to the batch at once, and the others are hashed: on disk by path
   * (large ones on worker threads; with Xet, by the Xet workers, which chunk them in the same read),
   * in memory here.
   */
  const prepare = async (list: readonly CommitContentFile[]): Promise<void> => {
    for (const file of list) {
      announce(file.path);
      await offerXet(file, oids.get(file.path));
      consider(file.path);
    }
    const onDisk: Array<{ pathInRepo: string; abs: string; size: number }> = [];
    for (const file of list.filter((candidate) => !oids.has(candidate.path))) {
      if (xet !== undefined && file.content instanceof SourceBlob) {
        track(xet.hash(file.path).then((sha256) => hashed(file.path, sha256)));
      } else if (file.abs === undefined) {
        hashed(
          file.path,
          createHash("sha256")
            .update(new Uint8Array(await file.content.arrayBuffer()))
            .digest("hex"),
        );
      } else {
        onDisk.push({ pathInRepo: file.path, abs: file.abs, size: file.content.size });
      }
    }
    await hashRepoFiles(onDisk, {
      gitBlobLimit: 0,
      signal,
      onProgress: hashing,
      onHashed: (path, hashes) => hashed(path, hashes.sha256),
    });
  };

  try {
    onEvent?.({ type: "phase", phase: "preuploading" });
    const verdict = preuploadFiles(call, {
      repo,
      branch,
      isPullRequest,
      files: files.map((file) => ({ path: file.path, content: file.content })),
      signal,
    });
    track(verdict);
    track(prepare(files.filter(certainlyLfs)));
    const modes = await verdict;
    if (!announced) {
      announced = true;
      onEvent?.({ type: "phase", phase: "uploading" });
    }
    const afterVerdict = files.filter((file) => modes.get(file.path) === "lfs" && !lfs.has(file.path));
    for (const file of afterVerdict) {
      lfs.add(file.path);
    }
    track(prepare(afterVerdict));
    // Regular files are read whole now, each checked while it is read (SourceBlob), bounded in number.
    const inline = new Map<string, Uint8Array>();
    await mapLimit(
      files.filter((file) => modes.get(file.path) !== "lfs"),
      16,
      async (file) => {
        signal.throwIfAborted();
        inline.set(file.path, new Uint8Array(await file.content.arrayBuffer()));
      },
    );
    // Tasks may start others (a batch answered lets the next group go): wait until none is left.
    for (let settled = 0; settled < running.length;) {
      const now = running.length;
      await Promise.all(running.slice(settled));
      settled = now;
    }
    if (failure !== undefined) {
      throw failure.error;
    }
    // Every batch has answered: the Xet upload knows all it has to send; the shard follows its xorbs.
    const sentThroughXet = await xet?.finish();
    if (sentThroughXet !== undefined) {
      storage.sentBytes += sentThroughXet.wireBytes;
      for (const [path, file] of sentThroughXet.files) {
        storage.dedupedBytes += file.dedupedBytes;
        xetProbes.set(path, file.probes);
      }
    }
    const lines = files.map((file): CommitFileLine => {
      const oid = oids.get(file.path);
      if (modes.get(file.path) === "lfs") {
        storage.bytes += file.content.size;
        if (oid === undefined) {
          throw new Error(`${file.path} was never hashed`);
        }
        return { path: file.path, lfs: { oid, size: file.content.size } };
      }
      return { path: file.path, content: inline.get(file.path) ?? new Uint8Array() };
    });
    return { lines, storage, xetProbes };
  } catch (error) {
    fail(error);
    await Promise.all(running);
    throw failure?.error ?? error;
  } finally {
    await xet?.close();
    params.signal?.removeEventListener("abort", onAbort);
  }
}
