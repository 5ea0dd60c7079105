import { createHash } from "node:crypto";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BusyError } from "../errors.js";

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  run: string;
}

/** A lock older than this is stale whatever its owner claims (no upload legitimately takes a day). */
const MAX_LOCK_AGE_MS = 24 * 60 * 60 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * An exclusive lock per run (keyed by its real path) so two processes on this machine cannot both
 * publish the same run. A lock whose process is gone, or that is a day old, is stale and taken over.
 * (Across machines, the Hub's parent-commit check does the same job.) Returns the release function
 * and, when a stale lock was broken, a note saying so.
 */
export async function acquireRunLock(params: {
  cacheDir: string;
  runPath: string;
}): Promise<{ release: () => Promise<void>; note: string | undefined }> {
  const dir = path.join(params.cacheDir, "locks");
  const file = path.join(dir, `${createHash("sha1").update(params.runPath).digest("hex")}.lock`);
  const me: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    run: params.runPath,
  };
  await mkdir(dir, { recursive: true });
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
    const stale = owner === undefined || age > MAX_LOCK_AGE_MS || (owner.host === me.host && !alive(owner.pid));
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
