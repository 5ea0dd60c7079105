import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { NoRunFoundError, UsageError } from "../errors.js";
import { pickRuns, type DirEntryInfo, type IgnoredEntry, type RunCandidate } from "./pick-runs.js";

export interface FoundRuns {
  dir: string;
  runs: RunCandidate[];
  ignored: IgnoredEntry[];
}

/** Lists `dir` once and hands the names to pickRuns; symlinks count as what they point to. */
export async function findRuns(dir: string, describeSource: string): Promise<FoundRuns> {
  let dirents;
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new NoRunFoundError(`Models directory does not exist: ${dir} (${describeSource})`, {
        hint: "Run training first, or point --model-dir / OLMO_FINE_TUNED_MODELS_DIR at the folder holding the runs",
        cause: error,
      });
    }
    if (code === "ENOTDIR") {
      throw new UsageError(`Models directory is a file, not a directory: ${dir} (${describeSource})`, {
        hint: "Point --model-dir at the folder that holds the webauthn-security-sequential_* runs",
        cause: error,
      });
    }
    throw new UsageError(`Cannot read models directory ${dir}: ${code ?? String(error)}`, {
      hint: "Check the directory's permissions",
      cause: error,
    });
  }
  const entries: DirEntryInfo[] = await Promise.all(
    dirents.map(async (dirent) => {
      if (!dirent.isSymbolicLink()) {
        return { name: dirent.name, isDirectory: dirent.isDirectory() };
      }
      try {
        return { name: dirent.name, isDirectory: (await stat(path.join(dir, dirent.name))).isDirectory() };
      } catch {
        return { name: dirent.name, isDirectory: false };
      }
    }),
  );
  return { dir, ...pickRuns(entries) };
}
