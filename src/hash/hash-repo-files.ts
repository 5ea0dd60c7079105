import { hashFiles } from "./hash-files.js";

export interface RepoFileToHash {
  /** The path in the repo, by which progress and results are reported. */
  pathInRepo: string;
  /** The file on disk; several repo paths may name the same one. */
  abs: string;
  size: number;
}

/**
 * Hashes the files behind repo paths on the worker pool (hashFiles), each file on disk once however
 * many repo paths name it, and reports progress and each result under every one of those paths.
 * Every path is first reported at 0 bytes; its last report (all its bytes) comes just before its result.
 */
export async function hashRepoFiles(
  files: readonly RepoFileToHash[],
  options: {
    /** Files up to this size also get their git blob sha1. */
    gitBlobLimit: number;
    /** Files up to this size are hashed on the calling thread (hashFiles' default when omitted). */
    inlineMaxBytes?: number;
    signal?: AbortSignal | undefined;
    onProgress: (pathInRepo: string, bytes: number, size: number) => void;
    onHashed: (pathInRepo: string, hashes: { sha256: string; gitSha1: string | undefined }) => void;
  },
): Promise<void> {
  const repoPaths = new Map<string, string[]>();
  const onDisk: Array<{ path: string; size: number }> = [];
  for (const file of files) {
    const same = repoPaths.get(file.abs);
    if (same === undefined) {
      repoPaths.set(file.abs, [file.pathInRepo]);
      onDisk.push({ path: file.abs, size: file.size });
    } else {
      same.push(file.pathInRepo);
    }
  }
  if (onDisk.length === 0) {
    return;
  }
  // Every file counts from the start: a progress line's percentage must not fall as the pool takes up the next one.
  for (const file of files) {
    options.onProgress(file.pathInRepo, 0, file.size);
  }
  for await (const done of hashFiles(onDisk, {
    gitBlobLimit: options.gitBlobLimit,
    ...(options.inlineMaxBytes === undefined ? {} : { inlineMaxBytes: options.inlineMaxBytes }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: ({ path, bytes, size }) => {
      // The last read is reported once, with the result (below).
      for (const pathInRepo of bytes < size ? (repoPaths.get(path) ?? []) : []) {
        options.onProgress(pathInRepo, bytes, size);
      }
    },
  })) {
    for (const pathInRepo of repoPaths.get(done.path) ?? []) {
      options.onProgress(pathInRepo, done.size, done.size);
      options.onHashed(pathInRepo, done);
    }
  }
}
