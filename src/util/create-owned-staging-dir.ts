import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { hostTag } from "./host-tag.js";
import { STAGING_DIR_PREFIX } from "./staging-dir-owner.js";

/**
 * Makes a fresh staging folder in `tmpDir` (mkdtemp), named so that a later run can tell it is this tool's
 * and whether its process is still alive (see `stagingDirOwner`, `removeStaleStagingDirs`).
 * Errors (a missing or read-only tmpDir) are thrown as they are, for the caller to report.
 */
export async function createOwnedStagingDir(
  tmpDir: string,
  owner: { pid?: number; host?: string; now?: () => number } = {},
): Promise<string> {
  const pid = owner.pid ?? process.pid;
  const startedAt = (owner.now ?? Date.now)();
  const tag = hostTag(owner.host ?? os.hostname());
  return mkdtemp(path.join(tmpDir, `${STAGING_DIR_PREFIX}${pid}-${startedAt}-${tag}-`));
}
