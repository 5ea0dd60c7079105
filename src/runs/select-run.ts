import { stat } from "node:fs/promises";
import path from "node:path";
import { IncompleteRunError, NoRunFoundError, UsageError, type RunIssue } from "../errors.js";
import { assessRun } from "./assess-run.js";
import { discoverRuns } from "./discover-runs.js";
import { missingSummary } from "./missing-summary.js";
import { RUN_NAME_PATTERN } from "./parse-run-name.js";
import type { IgnoredEntry } from "./pick-runs.js";
import type { RunAssessment } from "./run-assessment.js";
import { MANIFEST_FILE } from "./run-manifest.js";

export interface SelectedRun {
  assessment: RunAssessment;
  /** "newest": the newest complete run; "explicit": --run; "direct": the models dir is itself a run or model folder. */
  selectedBy: "newest" | "explicit" | "direct";
  /** Newer runs passed over because they are incomplete, newest first. */
  skipped: Array<{ name: string; missing: RunIssue[] }>;
  ignored: IgnoredEntry[];
}

/** Files whose presence makes a folder look like a model or run folder rather than a folder of runs. */
const MODEL_MARKERS = [
  MANIFEST_FILE,
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

function incompleteError(assessment: RunAssessment): IncompleteRunError {
  return new IncompleteRunError(`Run ${assessment.run.name} is incomplete`, assessment.missing, {
    hint: "Wait until training has finished writing it, or choose another run with --run NAME (see --list-runs)",
  });
}

/**
 * Chooses the run to publish: `--run NAME` if given; else the newest complete run (newer incomplete
 * ones are reported in `skipped`); else the models dir itself when it is a run or model folder. A
 * run with problems other than missing files is returned as it is, so validation refuses it rather
 * than an older run being published in its place.
 */
export async function selectRun(params: {
  modelsDir: string;
  describeSource: string;
  runName: string | undefined;
}): Promise<SelectedRun> {
  const { modelsDir, runName, describeSource } = params;
  const found = await discoverRuns(modelsDir, describeSource);

  if (runName !== undefined) {
    if (runName === "" || runName === "." || runName === ".." || /[/\\]/.test(runName)) {
      throw new UsageError(`--run takes a folder name inside ${modelsDir}, got "${runName}"`, {
        hint: "Pass just the name, e.g. --run webauthn-security-sequential_20250926_120000; use --model-dir for paths",
      });
    }
    const candidate = found.runs.find((run) => run.name === runName);
    const runPath = candidate?.path ?? path.join(modelsDir, runName);
    const isDir = await stat(runPath).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!isDir) {
      const names = found.runs.map((run) => run.name);
      const available =
        names.length === 0
          ? "no runs were found there"
          : `available: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}`;
      throw new NoRunFoundError(`Run "${runName}" not found in ${modelsDir} (${available})`, {
        hint: "List the runs with --list-runs",
      });
    }
    const assessment = await assessRun({ name: runName, path: runPath, timestamp: candidate?.timestamp });
    if (assessment.issues.length === 0 && assessment.missing.length > 0) {
      throw incompleteError(assessment);
    }
    return { assessment, selectedBy: "explicit", skipped: [], ignored: found.ignored };
  }

  const skipped: SelectedRun["skipped"] = [];
  for (const run of found.runs) {
    const assessment = await assessRun(run);
    if (assessment.issues.length === 0 && assessment.missing.length > 0) {
      skipped.push({ name: run.name, missing: assessment.missing });
      continue;
    }
    return { assessment, selectedBy: "newest", skipped, ignored: found.ignored };
  }

  if (found.runs.length === 0 && (await looksLikeModelFolder(modelsDir))) {
    const assessment = await assessRun({
      name: path.basename(path.resolve(modelsDir)),
      path: modelsDir,
      timestamp: undefined,
    });
    if (assessment.issues.length === 0 && assessment.missing.length > 0) {
      throw incompleteError(assessment);
    }
    return { assessment, selectedBy: "direct", skipped: [], ignored: found.ignored };
  }

  if (skipped.length > 0) {
    throw new NoRunFoundError(
      `No complete run in ${modelsDir} (${describeSource}): ${skipped.length} incomplete run${skipped.length === 1 ? "" : "s"} seen`,
      {
        hint: "Wait until training has finished writing a run, or check the runs listed (--list-runs)",
        details: skipped.map((run) => `${run.name}: ${missingSummary(run.missing)}`),
        showDetails: true,
        incompleteRuns: skipped.map((run) => ({ name: run.name, problems: run.missing })),
      },
    );
  }
  const ignoredNote =
    found.ignored.length === 0
      ? "the directory is empty"
      : `${found.ignored.length} entr${found.ignored.length === 1 ? "y was" : "ies were"} ignored (see --verbose)`;
  throw new NoRunFoundError(
    `No runs found in ${modelsDir} (${describeSource}): looked for folders named ${RUN_NAME_PATTERN}; ${ignoredNote}`,
    {
      hint: "Check that training finished and wrote its run there, or pass --model-dir DIR",
      details: found.ignored.map((entry) => `ignored ${entry.name}: ${entry.reason}`),
    },
  );
}
