import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { NoRunFoundError, UsageError } from "../errors.js";
import { errorCode } from "../util/error-code.js";
import { pickRuns, type DirEntryInfo, type IgnoredEntry, type RunCandidate } from "./pick-runs.js";
import { compareStrings } from "../util/compare-strings.js";

/** The run manager v1.0 kept its runs one level down, in `<fine_tuned_models_dir>/training-runs/`. */
export const TRAINING_RUNS_DIR = "training-runs";

export interface DiscoveredRuns {
  dir: string;
  /** Newest first. */
  runs: RunCandidate[];
  ignored: IgnoredEntry[];
}

async function listEntries(dir: string): Promise<DirEntryInfo[]> {
  const dirents = await readdir(dir, { withFileTypes: true });
  return Promise.all(
    dirents.map(async (dirent) => {
      if (!dirent.isSymbolicLink()) {
        return { name: dirent.name, isDirectory: dirent.isDirectory() };
      }
      // A symlinked run counts as what it points to.
      const isDirectory = await stat(path.join(dir, dirent.name)).then(
        (info) => info.isDirectory(),
        () => false,
      );
      return { name: dirent.name, isDirectory };
    }),
  );
}

/**
 * Every run folder in `dir` (and in its `training-runs/` folder, where the v1.0 run manager wrote
 * them), newest first by the timestamp in the name. Reads directory listings only.
 */
export async function discoverRuns(dir: string, describeSource: string): Promise<DiscoveredRuns> {
  let entries: DirEntryInfo[];
  try {
    entries = await listEntries(dir);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT") {
      throw new NoRunFoundError(`Models directory does not exist: ${dir} (${describeSource})`, {
        hint: "Run training first, or point --model-dir / OLMO_FINE_TUNED_MODELS_DIR at the folder holding the runs",
        cause: error,
      });
    }
    if (code === "ENOTDIR") {
      throw new UsageError(`Models directory is a file, not a directory: ${dir} (${describeSource})`, {
        hint: "Point --model-dir at the folder that holds the webauthn-security-* runs",
        cause: error,
      });
    }
    if (code === "ELOOP") {
      throw new UsageError(`Models directory is a loop of symbolic links: ${dir} (${describeSource})`, {
        hint: "A link on that path leads back to itself; point --model-dir at the real folder (readlink -f shows where links go)",
        cause: error,
      });
    }
    throw new UsageError(`Cannot read models directory ${dir}: ${code ?? String(error)}`, {
      hint: "Check the directory's permissions",
      cause: error,
    });
  }
  const top = pickRuns(
    dir,
    entries.filter((entry) => !(entry.name === TRAINING_RUNS_DIR && entry.isDirectory)),
  );
  if (!entries.some((entry) => entry.name === TRAINING_RUNS_DIR && entry.isDirectory)) {
    return { dir, ...top };
  }
  const nestedDir = path.join(dir, TRAINING_RUNS_DIR);
  const nested = pickRuns(nestedDir, await listEntries(nestedDir).catch(() => []));
  const runs = [...top.runs, ...nested.runs].sort((a, b) => b.time - a.time || compareStrings(b.path, a.path));
  const ignored = [
    ...top.ignored,
    ...nested.ignored.map((entry) => ({ ...entry, name: `${TRAINING_RUNS_DIR}/${entry.name}` })),
  ];
  return { dir, runs, ignored };
}
