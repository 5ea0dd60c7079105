import { lstat, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { hostTag } from "./host-tag.js";
import { isProcessAlive } from "./is-process-alive.js";
import { stagingDirOwner } from "./staging-dir-owner.js";

/** No upload legitimately stages for this long; an older folder is stale whoever made it. */
const MAX_STAGING_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes staging folders a killed run left in `tmpDir`: only folders named by `createOwnedStagingDir`,
 * owned by this user, that are real folders (not links), and whose process is gone (same host, pid
 * no longer running) or that are more than a day old. Nothing else is touched. Returns the folders
 * removed; a folder that cannot be removed is skipped, never an error (cleanup is a courtesy).
 */
export async function removeStaleStagingDirs(
  tmpDir: string,
  options: { host?: string; now?: () => number; isAlive?: (pid: number) => boolean } = {},
): Promise<string[]> {
  const myTag = hostTag(options.host ?? os.hostname());
  const now = (options.now ?? Date.now)();
  const isAlive = options.isAlive ?? isProcessAlive;
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = stagingDirOwner(name);
    if (owner === undefined || (owner.hostTag === myTag && owner.pid === process.pid)) {
      continue;
    }
    const dir = path.join(tmpDir, name);
    const info = await lstat(dir).catch(() => undefined);
    if (info === undefined || !info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
      continue;
    }
    const gone = owner.hostTag === myTag && !isAlive(owner.pid);
    const old = now - owner.startedAt > MAX_STAGING_AGE_MS;
    if (!gone && !old) {
      continue;
    }
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Someone else's cleanup or a permission problem: leave it for the next run.
    }
  }
  return removed;
}
