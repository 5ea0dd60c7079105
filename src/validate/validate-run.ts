import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { MlxScaling } from "../convert/plan-peft-conversion.js";
import { UsageError, type RunIssue } from "../errors.js";
import { invalidRunError } from "./invalid-run-error.js";
import type { RunFile } from "../runs/inspect-run.js";
import { mlxAdapterFiles } from "../runs/mlx-adapter-files.js";
import type { RunAssessment } from "../runs/run-assessment.js";
import { MANIFEST_FILE } from "../runs/run-manifest.js";
import { runRelativePath as at } from "../runs/run-relative-path.js";
import { scanForSecrets } from "../secrets/scan-for-secrets.js";
import { isLocalPath } from "../util/is-local-path.js";
import { isPlainObject } from "../util/is-plain-object.js";
import { collectRunIssues } from "./collect-run-issues.js";
import { prepareConversion } from "./prepare-conversion.js";
import { readMlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import { resolveBaseModel } from "./resolve-base-model.js";
import { stageRankBreak } from "./stage-rank-break.js";
import { summarizeSplit } from "./summarize-split.js";
import type { ValidatedRun } from "./validated-run.js";

/** Hub ids of MLX-converted repos: fine for mlx-lm, but transformers/PEFT cannot load them as a base. */
const MLX_REPO = /^mlx-community\/|[-_](?:mlx|[348]bit|q[48])(?:[-_]|$)/i;

export interface ValidateOptions {
  /** --base-model. */
  baseModelFlag: string | undefined;
  /** The config's (or OLMO_BASE_MODEL_HF_ID's) base model id and where it was set. */
  configBaseModel: { value: string; source: string } | undefined;
  scaling: MlxScaling | undefined;
  allowUntrained: boolean;
  /** Where the local (MLX) base models live, to tell the training base's quantization. */
  baseModelsDir: string | undefined;
}

/** The name of what the run was trained on, never a local path: a folder name or a Hub id. */
function trainingBaseName(values: readonly unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === "string" && value.trim() !== "") {
      return isLocalPath(value) ? path.basename(value.replace(/[\\/]+$/, "")) : value;
    }
  }
  return undefined;
}

async function quantizationBits(baseModelsDir: string | undefined, name: string): Promise<number | undefined> {
  if (baseModelsDir === undefined || name.includes("/")) {
    return undefined;
  }
  try {
    const config = JSON.parse(await readFile(path.join(baseModelsDir, name, "config.json"), "utf8")) as unknown;
    const quantization = isPlainObject(config) ? (config.quantization ?? config.quantization_config) : undefined;
    const bits = isPlainObject(quantization) ? quantization.bits : undefined;
    return typeof bits === "number" ? bits : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every check that can be made before the network, reported together: the model's files and
 * headers, the MLX adapter against its config, the base model, and secrets in everything that
 * would be published (model and training data). Throws one ValidationError listing every problem,
 * with files named from the run folder.
 */
export async function validateRun(assessment: RunAssessment, options: ValidateOptions): Promise<ValidatedRun> {
  const { inspection, detected, modelDir } = assessment;
  const { issues: modelIssues, warnings } = collectRunIssues(inspection, detected);
  const issues: RunIssue[] = [
    ...assessment.issues,
    ...modelIssues.map((issue) => ({ ...issue, file: at(modelDir, issue.file) })),
  ];

  const published: RunFile[] = inspection.files.map((file) => ({ ...file, rel: at(modelDir, file.rel) }));
  for (const { file } of assessment.datasets?.splits ?? []) {
    if (!published.some((entry) => entry.rel === file.rel)) {
      published.push(file);
    }
  }
  // The manifest and the stages' evaluation results are not published, but the model card quotes them.
  const quoted = [
    ...(assessment.layout === "staged" ? [MANIFEST_FILE] : []),
    ...assessment.evaluation.map((file) => file.rel),
  ].filter((rel) => !published.some((entry) => entry.rel === rel));
  const scanned: Array<{ rel: string; abs: string; size: number }> = [...published];
  for (const rel of quoted) {
    const abs = path.join(assessment.run.path, rel);
    const size = await stat(abs).then(
      (info) => info.size,
      () => undefined,
    );
    if (size !== undefined) {
      scanned.push({ rel, abs, size });
    }
  }
  issues.push(...(await scanForSecrets(scanned)));

  const jsonAt = (rel: string | undefined): Record<string, unknown> | undefined => {
    const parsed = rel === undefined ? undefined : inspection.json.get(rel);
    return parsed?.ok && isPlainObject(parsed.value) ? parsed.value : undefined;
  };
  const mlx = mlxAdapterFiles(detected);
  const rawMlxConfig = mlx === undefined ? undefined : inspection.json.get(mlx.config);
  // The one reading of the MLX adapter's config: everything downstream uses what it returns.
  const mlxRead =
    mlx === undefined || !rawMlxConfig?.ok ? undefined : readMlxAdapterConfig(rawMlxConfig.value, mlx.config);
  const metadata = jsonAt("training_metadata.json");
  const mlxModel = mlxRead?.config?.model;
  const baseModel = resolveBaseModel([
    { value: options.baseModelFlag, source: "--base-model" },
    { value: options.configBaseModel?.value, source: options.configBaseModel?.source ?? "config" },
    { value: metadata?.base_model, source: "training_metadata.json base_model" },
    {
      value: typeof mlxModel === "string" && MLX_REPO.test(mlxModel) ? undefined : mlxModel,
      source: `${mlx?.config ?? ""} model`,
    },
    {
      value: jsonAt("adapter_config.json")?.base_model_name_or_path,
      source: "adapter_config.json base_model_name_or_path",
    },
    { value: assessment.manifest?.baseModel, source: "run-manifest.json base_model" },
  ]);
  if (options.baseModelFlag !== undefined && baseModel?.source !== "--base-model") {
    throw new UsageError(
      `--base-model must be a Hub model id such as allenai/OLMo-2-0425-1B-Instruct, got "${options.baseModelFlag}"`,
    );
  }
  const trainedOn = trainingBaseName([mlxModel, metadata?.base_model, assessment.manifest?.baseModel]);
  const trainingBase =
    trainedOn === undefined || trainedOn === baseModel?.id
      ? undefined
      : { name: trainedOn, bits: await quantizationBits(options.baseModelsDir, trainedOn) };

  const { conversion, issues: conversionIssues } = prepareConversion({
    inspection,
    detected,
    config: mlxRead?.config,
    baseModel: baseModel?.id,
    scaling: options.scaling,
    allowUntrained: options.allowUntrained,
  });
  // A run that carries its own PEFT adapter is published as it is: its MLX config is not held against it.
  const mlxIssues = detected.kinds.includes("peft") ? [] : (mlxRead?.issues ?? []);
  issues.push(...[...mlxIssues, ...conversionIssues].map((issue) => ({ ...issue, file: at(modelDir, issue.file) })));
  const rankBreak = stageRankBreak(
    assessment.stageAdapters.map((entry) => ({
      stage: entry.stage,
      rank: entry.value === undefined ? undefined : readMlxAdapterConfig(entry.value, entry.file).config?.rank,
    })),
  );
  if (rankBreak !== undefined) {
    const { from, to } = rankBreak;
    warnings.push(
      `${to.stage}'s adapter has rank ${to.rank} but ${from.stage}'s has rank ${from.rank}, so ${to.stage} cannot have continued from ${from.stage}'s adapter; the model card does not claim it did`,
    );
  }
  const splits = await Promise.all((assessment.datasets?.splits ?? []).map(summarizeSplit));
  for (const split of splits) {
    if (split.invalidLines > 0) {
      warnings.push(
        `${assessment.datasets?.dir ?? ""}/${split.pathInRepo}: ${split.invalidLines} line${split.invalidLines === 1 ? " is" : "s are"} not a JSON object; the dataset viewer will not show ${split.invalidLines === 1 ? "it" : "them"}`,
      );
    }
  }
  if (issues.length > 0) {
    throw invalidRunError(assessment.run.name, issues);
  }
  return {
    assessment,
    baseModel,
    trainingBase,
    mlxAdapter: mlx === undefined ? undefined : { ...mlx, adapterConfig: mlxRead?.config },
    conversion,
    splits,
    stageRankBreak: rankBreak,
    warnings,
  };
}
