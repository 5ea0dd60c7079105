import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { StagingError } from "../errors.js";
import { errorCode } from "../util/error-code.js";

/** A fresh folder for the files the upload generates; the caller removes it however the run ends. */
export async function createStagingDir(tmpDir: string): Promise<string> {
  try {
    return await mkdtemp(path.join(tmpDir, "process-artifacts-"));
  } catch (error) {
    throw new StagingError(`Cannot create a staging folder in ${tmpDir}: ${errorCode(error) ?? String(error)}`, {
      hint: "Set TMPDIR to a writable folder with free space",
      cause: error,
    });
  }
}
