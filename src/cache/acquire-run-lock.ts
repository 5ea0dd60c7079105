import { createHash } from "node:crypto";
import { open, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BusyError, LocalFileError } from "../errors.js";
import { createDirPath } from "../util/create-dir-path.js";
import { isProcessAlive } from "../util/is-process-alive.js";

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  run: string;
}

/** A lock older than this is stale whatever its owner claims (no upload legitimately takes a day). */
const MAX_LOCK_AGE_MS = 24 * 60 * 60 * 1000;

export interface RunLock {
  release: () => Promise<void>;
  /** One line for the user: a stale lock was broken, or the cache folder cannot be written. */
  note: string | undefined;
  /** False when the cache folder cannot be written: the lock is in the fallback folder, and the hash cache should not be saved. */
  cacheWritable: boolean;
}

/** Fails with the code of a local error; a BusyError (the lock is held) passes through. */
async function lockIn(
  dir: string,
  runPath: string,
): Promise<{ release: () => Promise<void>; note: string | undefined }> {
  await createDirPath(dir);
  const file = path.join(dir, `${createHash("sha1").update(runPath).digest("hex")}.lock`);
  const me: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    run: runPath,
  };
  let note: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      const release = async (): Promise<void> => {
        const owner = await readFile(file, "utf8")
          .then((text) => JSON.parse(text) as LockOwner)
          .catch(() => undefined);
        if (owner?.pid === me.pid && owner.host === me.host) {
          await rm(file, { force: true });
        }
      };
      return { release, note };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
    }
    const owner = await readFile(file, "utf8")
      .then((text) => JSON.parse(text) as LockOwner)
      .catch(() => undefined);
    const age =
      Date.now() -
      (await stat(file)
        .then((info) => info.mtimeMs)
        .catch(() => 0));
    const stale =
      owner === undefined || age > MAX_LOCK_AGE_MS || (owner.host === me.host && !isProcessAlive(owner.pid));
    if (!stale) {
      throw new BusyError(
        `Another process-artifacts (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}) is uploading this run`,
        {
          hint: `Wait for it to finish; if that process is gone, delete ${file}`,
        },
      );
    }
    note = `Removed a stale lock left by ${owner === undefined ? "an unknown process" : `pid ${owner.pid} on ${owner.host}`} (${file})`;
    await rm(file, { force: true });
  }
  throw new BusyError(`Could not take the upload lock ${file}`, {
    hint: "Another upload of this run is starting; try again",
  });
}

/**
 * An exclusive lock per run (keyed by its real path) so two processes on this machine cannot both
 * publish the same run. A lock whose process is gone, or that is a day old, is stale and taken over.
 * (Across machines, the Hub's parent-commit check does the same job.) A cache folder that cannot be
 * written (read-only HOME, a path under a file) does not stop the upload: the lock goes to a
 * per-user folder in `fallbackDir` (TMPDIR) instead, and the note says the run goes without the
 * hash cache.
 */
export async function acquireRunLock(params: {
  cacheDir: string;
  runPath: string;
  /** Where the lock goes when the cache folder cannot be written; the system temp folder when omitted. */
  fallbackDir?: string;
}): Promise<RunLock> {
  try {
    return { ...(await lockIn(path.join(params.cacheDir, "locks"), params.runPath)), cacheWritable: true };
  } catch (error) {
    if (error instanceof BusyError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const uid = typeof process.getuid === "function" ? process.getuid() : os.userInfo().uid;
    const fallback = path.join(params.fallbackDir ?? os.tmpdir(), `process-artifacts-locks-${uid}`);
    let lock: { release: () => Promise<void>; note: string | undefined };
    try {
      lock = await lockIn(fallback, params.runPath);
    } catch (fallbackError) {
      if (fallbackError instanceof BusyError) {
        throw fallbackError;
      }
      const fallbackCode = (fallbackError as NodeJS.ErrnoException).code ?? String(fallbackError);
      throw new LocalFileError(
        `Cannot create the upload lock in ${params.cacheDir} (${code}) nor in ${fallback} (${fallbackCode})`,
        { hint: "Set XDG_CACHE_HOME or TMPDIR to a folder this user can write", cause: fallbackError },
      );
    }
    const cacheNote = `The cache folder ${params.cacheDir} cannot be written (${code}); uploading without the hash cache, with the run lock in ${fallback}`;
    return {
      release: lock.release,
      note: lock.note === undefined ? cacheNote : `${cacheNote}. ${lock.note}`,
      cacheWritable: false,
    };
  }
}
