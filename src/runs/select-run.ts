import { stat } from "node:fs/promises";
import path from "node:path";
import { NoRunFoundError, UsageError } from "../errors.js";
import { findRuns } from "./find-runs.js";
import { parseRunName, RUN_PREFIX } from "./parse-run-name.js";
import type { IgnoredEntry } from "./pick-runs.js";

export interface SelectedRun {
  name: string;
  path: string;
  /** "newest": picked by timestamp; "explicit": --run; "direct": the models dir is itself a model folder. */
  selectedBy: "newest" | "explicit" | "direct";
  timestamp: string | undefined;
  /** Other runs that were found, newest first (for messages). */
  otherRuns: string[];
  ignored: IgnoredEntry[];
}

/** Files whose presence makes a folder look like a model folder rather than a folder of runs. */
const MODEL_MARKERS = [
  "adapters/adapters.safetensors",
  "adapters/adapter_config.json",
  "adapters.safetensors",
  "adapter_model.safetensors",
  "config.json",
  "model.safetensors",
  "model.safetensors.index.json",
];

async function looksLikeModelFolder(dir: string): Promise<boolean> {
  const found = await Promise.all(
    MODEL_MARKERS.map((rel) =>
      stat(path.join(dir, rel)).then(
        (info) => info.isFile(),
        () => false,
      ),
    ),
  );
  return found.some(Boolean);
}

/**
 * Chooses the run to upload from `modelsDir`: `--run NAME` if given, else the newest timestamped run,
 * else `modelsDir` itself when it is a model folder.
 */
export async function selectRun(params: {
  modelsDir: string;
  describeSource: string;
  runName: string | undefined;
}): Promise<SelectedRun> {
  const { modelsDir, runName, describeSource } = params;
  const found = await findRuns(modelsDir, describeSource);
  const names = found.runs.map((run) => run.name);

  if (runName !== undefined) {
    if (runName === "" || runName === "." || runName === ".." || /[/\\]/.test(runName)) {
      throw new UsageError(`--run takes a folder name inside ${modelsDir}, got "${runName}"`, {
        hint: "Pass just the name, e.g. --run webauthn-security-sequential_20250926_120000; use --model-dir for paths",
      });
    }
    const candidate = found.runs.find((run) => run.name === runName);
    const runPath = path.join(modelsDir, runName);
    const isDir = await stat(runPath).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!isDir) {
      const available =
        names.length === 0
          ? "no runs were found there"
          : `available: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}`;
      throw new NoRunFoundError(`Run "${runName}" not found in ${modelsDir} (${available})`, {
        hint: "List the runs with --list-runs",
      });
    }
    const parsed = parseRunName(runName);
    return {
      name: runName,
      path: runPath,
      selectedBy: "explicit",
      timestamp: candidate?.timestamp ?? (parsed.ok ? parsed.timestamp : undefined),
      otherRuns: names.filter((name) => name !== runName),
      ignored: found.ignored,
    };
  }

  const newest = found.runs[0];
  if (newest) {
    return {
      name: newest.name,
      path: path.join(modelsDir, newest.name),
      selectedBy: "newest",
      timestamp: newest.timestamp,
      otherRuns: names.slice(1),
      ignored: found.ignored,
    };
  }

  if (await looksLikeModelFolder(modelsDir)) {
    return {
      name: path.basename(path.resolve(modelsDir)),
      path: modelsDir,
      selectedBy: "direct",
      timestamp: undefined,
      otherRuns: [],
      ignored: found.ignored,
    };
  }

  const ignoredNote =
    found.ignored.length === 0
      ? "the directory is empty"
      : `${found.ignored.length} entr${found.ignored.length === 1 ? "y was" : "ies were"} ignored (see --verbose)`;
  throw new NoRunFoundError(
    `No runs found in ${modelsDir} (${describeSource}): looked for folders named ${RUN_PREFIX}_YYYYMMDD_HHMMSS; ${ignoredNote}`,
    {
      hint: "Check that training finished and wrote its run there, or pass --model-dir DIR",
      details: found.ignored.map((entry) => `ignored ${entry.name}: ${entry.reason}`),
    },
  );
}
