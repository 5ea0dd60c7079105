import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { RunIssue } from "../errors.js";
import { errorCode } from "../util/error-code.js";
import { detectArtifactKinds, type DetectedArtifacts } from "./detect-artifact-kinds.js";
import { findLinkOutOfRun } from "./find-link-out-of-run.js";
import { linkOutMessage } from "./link-out-message.js";
import { inspectRun, type RunFile, type RunInspection } from "./inspect-run.js";
import { missingParts } from "./missing-parts.js";
import { readRunManifest } from "./read-run-manifest.js";
import { MANIFEST_FILE, type RunManifest } from "./run-manifest.js";
import type {
  DatasetSplit,
  DatasetSplitName,
  EvaluationFile,
  RunAssessment,
  StageAdapterConfig,
} from "./run-assessment.js";

/** Where a flat run keeps the data it was trained on (mlx-lm's `--data` folder). */
export const FLAT_DATASET_DIR = "training-data";

/** mlx-lm reads `train.jsonl`, `valid.jsonl` and `test.jsonl` from its data folder. */
const SPLIT_FILES: ReadonlyArray<[string, DatasetSplitName]> = [
  ["train.jsonl", "train"],
  ["valid.jsonl", "validation"],
  ["validation.jsonl", "validation"],
  ["test.jsonl", "test"],
];

const FLAT_EVALUATION = /(^|\/)(eval|evaluation)[^/]*\.json$/i;

interface ModelFolder {
  dir: string;
  inspection: RunInspection;
  detected: DetectedArtifacts;
  missing: RunIssue[];
}

/** A model folder that is not there: nothing listed, nothing read. */
function emptyInspection(dir: string): RunInspection {
  return { dir, files: [], excluded: [], issues: [], unreadableFolders: [], json: new Map(), safetensors: new Map() };
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function inspectModelFolder(runPath: string, dir: string): Promise<ModelFolder> {
  const abs = path.join(runPath, dir);
  if (!(await isDirectory(abs))) {
    const empty = emptyInspection(abs);
    return {
      dir,
      inspection: empty,
      detected: detectArtifactKinds(empty),
      missing: [{ file: dir, message: `${dir}/ does not exist (the manifest names it)` }],
    };
  }
  const inspection = await inspectRun(abs, { root: runPath });
  const detected = detectArtifactKinds(inspection);
  return { dir, inspection, detected, missing: missingParts(inspection, detected, dir) };
}

/** A fused model the Hub can serve: config, weights and tokenizer all there and readable. */
function isCompleteFusedModel(folder: ModelFolder): boolean {
  const present = new Set(folder.inspection.files.map((file) => file.rel));
  const tokenizer =
    present.has("tokenizer.json") ||
    present.has("tokenizer.model") ||
    (present.has("vocab.json") && present.has("merges.txt"));
  const headersOk = [...folder.inspection.safetensors.values()].every((header) => header.ok);
  return folder.detected.kinds.includes("fused") && folder.missing.length === 0 && tokenizer && headersOk;
}

/** A folder the manifest names, or a split file, that leads out of the run: named by the link itself. */
function linkOutIssue(link: { link: string; target: string }): RunIssue {
  return { file: link.link, message: linkOutMessage(link.target) };
}

async function runFile(runPath: string, rel: string): Promise<RunFile | undefined> {
  const abs = path.join(runPath, rel);
  const info = await stat(abs).catch(() => undefined);
  if (!info?.isFile()) {
    return undefined;
  }
  return { rel, abs, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev };
}

/** The splits a data folder holds; a split that is a link out of the run is a problem, never skipped quietly. */
async function datasetSplits(runPath: string, dir: string): Promise<{ splits: DatasetSplit[]; issues: RunIssue[] }> {
  const splits: DatasetSplit[] = [];
  const issues: RunIssue[] = [];
  for (const [name, split] of SPLIT_FILES) {
    if (splits.some((entry) => entry.split === split)) {
      continue;
    }
    const rel = dir === "" ? name : `${dir}/${name}`;
    const link = await findLinkOutOfRun(runPath, rel);
    if (link !== undefined) {
      // A linked data folder is one problem, however many splits lie behind it.
      if (!issues.some((issue) => issue.file === link.link)) {
        issues.push(linkOutIssue(link));
      }
      continue;
    }
    const file = await runFile(runPath, rel);
    if (file !== undefined) {
      splits.push({ split, file });
    }
  }
  return { splits, issues };
}

/** Each stage's mlx-lm adapter_config.json, parsed when it is there: what the stages' ranks are read from. */
async function stageAdapterConfigs(
  runPath: string,
  stages: RunManifest["stages"],
  leaves: (rel: string) => boolean,
): Promise<StageAdapterConfig[]> {
  const configs: StageAdapterConfig[] = [];
  for (const stage of stages) {
    if (stage.adaptersPath === undefined || leaves(stage.adaptersPath)) {
      continue;
    }
    const rel = stage.adaptersPath === "" ? "adapter_config.json" : `${stage.adaptersPath}/adapter_config.json`;
    const value = await readFile(path.join(runPath, rel), "utf8").then(
      (text) => JSON.parse(text) as unknown,
      () => undefined,
    );
    configs.push({ stage: stage.name, file: rel, value });
  }
  return configs;
}

async function stageEvaluation(runPath: string, stage: string, dir: string): Promise<EvaluationFile[]> {
  const names = await readdir(path.join(runPath, dir)).catch(() => [] as string[]);
  const files: EvaluationFile[] = [];
  for (const name of names.filter((entry) => entry.endsWith(".json")).sort()) {
    const rel = `${dir}/${name}`;
    try {
      files.push({ stage, rel, value: JSON.parse(await readFile(path.join(runPath, rel), "utf8")) as unknown });
    } catch {
      // An unreadable results file is not a reason to refuse the model; it is simply not quoted.
    }
  }
  return files;
}

async function readManifest(runPath: string): Promise<{ manifest: RunManifest | undefined; issues: RunIssue[] }> {
  let text: string;
  try {
    text = await readFile(path.join(runPath, MANIFEST_FILE), "utf8");
  } catch (error) {
    return {
      manifest: undefined,
      issues: [{ file: MANIFEST_FILE, message: `cannot read: ${errorCode(error) ?? String(error)}` }],
    };
  }
  try {
    return readRunManifest(JSON.parse(text) as unknown);
  } catch (error) {
    return {
      manifest: undefined,
      issues: [
        {
          file: MANIFEST_FILE,
          message: `invalid JSON: ${text.trim() === "" ? "empty file" : (error as Error).message}`,
        },
      ],
    };
  }
}

/**
 * Reads one run folder and decides what it would publish: a flat run publishes itself; a run
 * written by the pipeline's run manager publishes its final model when that is a complete fused
 * model, else the adapters of its last stage. Reads listings, JSON and safetensors headers only.
 */
export async function assessRun(run: {
  name: string;
  path: string;
  timestamp: string | undefined;
}): Promise<RunAssessment> {
  const hasManifest = await stat(path.join(run.path, MANIFEST_FILE)).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!hasManifest) {
    const folder = await inspectModelFolder(run.path, "");
    const data = await datasetSplits(run.path, FLAT_DATASET_DIR);
    const evaluation = folder.inspection.files
      .filter((file) => FLAT_EVALUATION.test(file.rel) || file.rel.startsWith("evaluation/"))
      .flatMap((file): EvaluationFile[] => {
        const parsed = folder.inspection.json.get(file.rel);
        return parsed?.ok ? [{ stage: undefined, rel: file.rel, value: parsed.value }] : [];
      });
    return {
      run,
      layout: "flat",
      manifest: undefined,
      modelDir: "",
      modelSource: "run",
      inspection: folder.inspection,
      detected: folder.detected,
      datasets: data.splits.length === 0 ? undefined : { dir: FLAT_DATASET_DIR, stage: undefined, splits: data.splits },
      evaluation,
      stageAdapters: [],
      // A linked training-data/ is already the listing's problem; a linked split file only ours.
      issues: data.issues.filter((issue) => !folder.inspection.issues.some((known) => known.file === issue.file)),
      missing: folder.missing,
    };
  }

  const { manifest, issues } = await readManifest(run.path);
  const last = manifest?.stages.at(-1);
  // Every folder the manifest names is checked before anything in it is read: a link out of the run
  // (stage2/adapters → ~/elsewhere) would otherwise be read, and published, as the run's own.
  const dataPath = last?.trainingDataPath;
  const named = [
    manifest?.finalModelPath,
    dataPath,
    ...(manifest?.stages ?? []).flatMap((stage) => [stage.adaptersPath, stage.evaluationPath]),
  ].filter((rel): rel is string => rel !== undefined && rel !== "");
  const outside = new Set<string>();
  for (const rel of named) {
    const link = await findLinkOutOfRun(run.path, rel);
    if (link !== undefined) {
      outside.add(rel);
      if (!issues.some((issue) => issue.file === link.link)) {
        issues.push(linkOutIssue(link));
      }
    }
  }
  const leaves = (rel: string): boolean => outside.has(rel);

  let folder: ModelFolder | undefined;
  let modelSource: RunAssessment["modelSource"] = "stage-adapters";
  if (manifest?.finalModelPath !== undefined && !leaves(manifest.finalModelPath)) {
    const final = await inspectModelFolder(run.path, manifest.finalModelPath);
    if (isCompleteFusedModel(final)) {
      folder = final;
      modelSource = "final-model";
    }
  }
  if (folder === undefined && last?.adaptersPath !== undefined && !leaves(last.adaptersPath)) {
    folder = await inspectModelFolder(run.path, last.adaptersPath);
  }
  if (folder === undefined) {
    // A model folder that leads out of the run is already an issue: what it holds is unknown (never
    // read), not missing, so the run is neither "incomplete" nor said to hold no model.
    const unread = [manifest?.finalModelPath, last?.adaptersPath].filter(
      (rel): rel is string => rel !== undefined && leaves(rel),
    );
    const empty = { ...emptyInspection(run.path), unreadableFolders: unread };
    const unnamed =
      manifest === undefined || unread.length > 0
        ? []
        : [
            {
              file: MANIFEST_FILE,
              message: `${MANIFEST_FILE} names neither a final model nor adapters for ${last?.name ?? "its last stage"}`,
            },
          ];
    folder = { dir: "", inspection: empty, detected: detectArtifactKinds(empty), missing: unnamed };
  }

  // v1.0 manifests name a file; v2.0 a folder.
  const dataDir =
    dataPath === undefined || leaves(dataPath)
      ? undefined
      : dataPath.endsWith(".jsonl")
        ? path.posix.dirname(dataPath)
        : dataPath;
  const data =
    dataDir === undefined ? { splits: [], issues: [] } : await datasetSplits(run.path, dataDir === "." ? "" : dataDir);
  issues.push(...data.issues.filter((issue) => !issues.some((known) => known.file === issue.file)));
  const { splits } = data;
  const evaluation: EvaluationFile[] = [];
  for (const stage of manifest?.stages ?? []) {
    if (stage.evaluationPath !== undefined && !leaves(stage.evaluationPath)) {
      evaluation.push(...(await stageEvaluation(run.path, stage.name, stage.evaluationPath)));
    }
  }
  return {
    run,
    layout: "staged",
    manifest,
    modelDir: folder.dir,
    modelSource,
    inspection: folder.inspection,
    detected: folder.detected,
    datasets: splits.length === 0 || dataDir === undefined ? undefined : { dir: dataDir, stage: last?.name, splits },
    evaluation,
    stageAdapters: await stageAdapterConfigs(run.path, manifest?.stages ?? [], leaves),
    issues,
    missing: folder.missing,
  };
}
