import { StagingError } from "../errors.js";
import { createOwnedStagingDir } from "../util/create-owned-staging-dir.js";
import { errorCode } from "../util/error-code.js";
import { removeStaleStagingDirs } from "../util/remove-stale-staging-dirs.js";

/**
 * A fresh folder for the files the upload generates, named after its owner; the caller removes it
 * however the run ends. Folders that killed runs of this tool left behind are removed first.
 */
export async function createStagingDir(tmpDir: string): Promise<{ dir: string; removedStale: string[] }> {
  const removedStale = await removeStaleStagingDirs(tmpDir);
  try {
    return { dir: await createOwnedStagingDir(tmpDir), removedStale };
  } catch (error) {
    throw new StagingError(`Cannot create a staging folder in ${tmpDir}: ${errorCode(error) ?? String(error)}`, {
      hint: "Set TMPDIR to a writable folder with free space",
      cause: error,
    });
  }
}
