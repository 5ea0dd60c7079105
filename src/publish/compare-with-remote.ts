import { fileKey } from "../cache/file-key.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import type { CommandEvent } from "../command-event.js";
import { diffAgainstRemote, type LocalFile, type RemoteFile } from "../hub/diff-against-remote.js";
import type { StagedFile } from "../stage/staged-upload.js";
import { hashFile } from "../hash/hash-file.js";
import { hashRepoFiles } from "../hash/hash-repo-files.js";
import { mapLimit } from "../util/map-limit.js";

/** Files up to this size may be stored by the Hub as plain git blobs, whose listed oid is a git sha1. */
const GIT_BLOB_LIMIT = 10 * 1024 * 1024;
/** Below this, hashing costs less than a cache lookup is worth: small files are always hashed. */
const ALWAYS_HASH = 1024 * 1024;

/**
 * Which staged files a remote tree already holds. Hashes come from what we produced, or from the
 * cache when a file is unchanged on disk; a file is hashed here only when the tree holds a
 * same-sized file and nothing else can tell whether it is the same.
 */
export async function compareWithRemote(params: {
  files: readonly StagedFile[];
  remote: ReadonlyMap<string, RemoteFile>;
  cache: HashCache;
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
}): Promise<{
  changed: string[];
  unchanged: string[];
  /** Every sha256 known by now (staged, cached or hashed here), by repo path: the commit need not compute them. */
  sha256: ReadonlyMap<string, string>;
}> {
  const { files, remote, cache } = params;
  const local = new Map<string, LocalFile>(
    files.map((file) => {
      const cached = file.source ? cache.get(fileKey(file.source)) : undefined;
      return [
        file.pathInRepo,
        {
          pathInRepo: file.pathInRepo,
          size: file.size,
          sha256: file.sha256 ?? cached?.sha256,
          gitSha1: file.gitSha1 ?? cached?.gitSha1,
        },
      ];
    }),
  );
  const byPath = new Map(files.map((file) => [file.pathInRepo, file]));
  /** The staged file behind a repo path, when it is a file on disk we can hash now. */
  const hashable = (pathInRepo: string): { abs: string; size: number } | undefined => {
    const file = byPath.get(pathInRepo);
    return file === undefined || file.pending || file.content.type !== "file"
      ? undefined
      : { abs: file.content.abs, size: file.size };
  };
  const record = (pathInRepo: string, hashes: { sha256: string; gitSha1: string | undefined }): void => {
    const file = byPath.get(pathInRepo);
    const entry = local.get(pathInRepo);
    if (file === undefined || entry === undefined) {
      return;
    }
    entry.sha256 = hashes.sha256;
    entry.gitSha1 = hashes.gitSha1;
    if (file.source) {
      cache.set(fileKey(file.source), { sha256: hashes.sha256, size: file.size, gitSha1: hashes.gitSha1 });
    }
  };
  let diff = diffAgainstRemote([...local.values()], remote);
  const small = diff.unknown.filter((pathInRepo) => (local.get(pathInRepo)?.size ?? 0) <= ALWAYS_HASH);
  const large = diff.unknown.filter((pathInRepo) => (local.get(pathInRepo)?.size ?? 0) > ALWAYS_HASH);
  await mapLimit(small, 8, async (pathInRepo) => {
    const file = hashable(pathInRepo);
    if (file !== undefined) {
      record(
        pathInRepo,
        await hashFile(file.abs, file.size, {
          gitBlobLimit: GIT_BLOB_LIMIT,
          ...(params.signal ? { signal: params.signal } : {}),
        }),
      );
    }
  });
  // Large files on worker threads, one per core: the same reads and hash, but side by side.
  const toHash = large.flatMap((pathInRepo) => {
    const file = hashable(pathInRepo);
    return file === undefined ? [] : [{ pathInRepo, ...file }];
  });
  if (toHash.length > 0) {
    params.onEvent({ type: "phase", phase: "hashing" });
    await hashRepoFiles(toHash, {
      gitBlobLimit: GIT_BLOB_LIMIT,
      // Small files are hashed above; every file here is worth a thread.
      inlineMaxBytes: 0,
      signal: params.signal,
      onProgress: (pathInRepo, bytes, size) =>
        params.onEvent({
          type: "file",
          path: pathInRepo,
          state: "hashing",
          progress: size === 0 ? 1 : bytes / size,
          bytes,
          totalBytes: size,
        }),
      onHashed: record,
    });
  }
  if (diff.unknown.length > 0) {
    diff = diffAgainstRemote([...local.values()], remote);
  }
  // Still unknown (a pending conversion the tree holds a same-sized file for): send it.
  const sha256 = new Map(
    [...local.values()].flatMap((entry) =>
      entry.sha256 === undefined ? [] : [[entry.pathInRepo, entry.sha256] as const],
    ),
  );
  return { changed: [...diff.changed, ...diff.unknown], unchanged: diff.unchanged, sha256 };
}
