import path from "node:path";
import type { RunIssue } from "../errors.js";
import { isPlainObject } from "../util/is-plain-object.js";
import { MANIFEST_FILE, type RunManifest, type RunStage } from "./run-manifest.js";
import { showValue } from "../util/show-value.js";

const KNOWN_VERSIONS = new Set(["1.0", "2.0"]);

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function versionText(value: unknown): string | undefined {
  if (typeof value === "string") {
    return value;
  }
  // A writer that stores the version as a number (Python's json.dump of 2.0) reaches us as 2.
  if (typeof value === "number") {
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/**
 * Pure: a manifest path → run-relative POSIX path, or a problem. The manifest is written by another
 * program and must not make us read (or publish) anything outside the run.
 */
function runPath(value: unknown, key: string, issues: RunIssue[]): string | undefined {
  if (value === undefined || value === null || value === "") {
    return undefined;
  }
  if (typeof value !== "string") {
    issues.push({ file: MANIFEST_FILE, message: `${key} must be a path, got ${showValue(value)}` });
    return undefined;
  }
  if (path.posix.isAbsolute(value) || value.startsWith("~") || /^[A-Za-z]:|\\/.test(value)) {
    issues.push({
      file: MANIFEST_FILE,
      message: `${key} is "${value}"; manifest paths must be relative to the run folder (e.g. ./stage2/adapters)`,
    });
    return undefined;
  }
  // normalize has already collapsed repeated slashes, so at most one trails.
  const normal = path.posix.normalize(value).replace(/\/$/, "");
  if (normal === ".." || normal.startsWith("../")) {
    issues.push({
      file: MANIFEST_FILE,
      message: `${key} is "${value}", which points outside the run folder; nothing outside the run is published`,
    });
    return undefined;
  }
  return normal === "." ? "" : normal;
}

function readStage(name: string, raw: Record<string, unknown>, issues: RunIssue[]): RunStage {
  return {
    name,
    adaptersPath: runPath(raw.adapters_path, `${name}.adapters_path`, issues),
    trainingDataPath: runPath(raw.training_data_path, `${name}.training_data_path`, issues),
    evaluationPath: runPath(raw.evaluation_results_path, `${name}.evaluation_results_path`, issues),
    finalModelPath: runPath(raw.final_model_path, `${name}.final_model_path`, issues),
    trainingParams: record(raw.training_params),
    datasetStats: record(raw.dataset_stats),
  };
}

/**
 * Pure: reads `run-manifest.json` in the three shapes the pipeline's run manager has written:
 * v2.0 (`stage1`/`stage2` and a top-level `final_model_path`), v1.0 sequential (`run_metadata`,
 * `stage1`/`stage2`, `final_model_path` inside stage 2), and v1.0 single-stage (top-level
 * `adapters_path`). Every problem is returned, none thrown.
 */
export function readRunManifest(raw: unknown): { manifest: RunManifest | undefined; issues: RunIssue[] } {
  const issues: RunIssue[] = [];
  if (!isPlainObject(raw)) {
    return { manifest: undefined, issues: [{ file: MANIFEST_FILE, message: "must be a JSON object" }] };
  }
  const version = versionText(raw.version);
  if (raw.version !== undefined && version === undefined) {
    return {
      manifest: undefined,
      issues: [{ file: MANIFEST_FILE, message: 'version must be a string such as "2.0"' }],
    };
  }
  if (version !== undefined && !KNOWN_VERSIONS.has(version)) {
    issues.push({
      file: MANIFEST_FILE,
      message: `version ${version} is not one this tool reads (1.0, 2.0); upgrade process-artifacts`,
    });
    return { manifest: undefined, issues };
  }
  const metadata = record(raw.run_metadata);
  const stageKeys = Object.keys(raw)
    .filter((key) => /^stage\d+$/.test(key) && isPlainObject(raw[key]))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  let stages: RunStage[];
  if (stageKeys.length > 0) {
    stages = stageKeys.map((key) => readStage(key, record(raw[key]), issues));
  } else if (raw.adapters_path !== undefined) {
    stages = [readStage("training", { ...raw, final_model_path: undefined }, issues)];
  } else {
    issues.push({
      file: MANIFEST_FILE,
      message: "names no stages (stage1, stage2) and no adapters_path; it does not describe a training run",
    });
    return { manifest: undefined, issues };
  }
  const last = stages.at(-1);
  return {
    issues,
    manifest: {
      version: version ?? ("run_metadata" in raw ? "1.0" : "2.0"),
      runId: text(raw.run_id) ?? text(metadata.run_id),
      timestamp: text(raw.timestamp) ?? text(metadata.timestamp),
      baseModel: text(raw.base_model) ?? text(metadata.base_model),
      finalModelPath: runPath(raw.final_model_path, "final_model_path", issues) ?? last?.finalModelPath,
      stages,
    },
  };
}
