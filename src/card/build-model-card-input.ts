import { readMlxAdapterConfig } from "../convert/read-mlx-adapter-config.js";
import { MLX_FOLDER } from "../plan/plan-upload.js";
import type { UploadPlan } from "../plan/upload-plan.js";
import type { StagedFile } from "../stage/staged-upload.js";
import { hasChatTemplate } from "../runs/has-chat-template.js";
import type { ValidatedRun } from "../validate/validated-run.js";
import { cleanRecord } from "./clean-record.js";
import { modelIndexMetrics } from "./model-index-metrics.js";
import { recordedVersions } from "./recorded-versions.js";
import type { ModelCardInput } from "./model-card-input.js";

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

/** Hub dataset ids a run's metadata names (local paths never qualify). */
function datasetIds(metadata: Record<string, unknown> | undefined): string[] {
  if (metadata === undefined) {
    return [];
  }
  const values = ["datasets", "dataset", "dataset_repo", "dataset_id", "hf_dataset"].flatMap((key): unknown[] => {
    const value: unknown = metadata[key];
    return Array.isArray(value) ? (value as unknown[]) : [value];
  });
  return [...new Set(values.filter((value): value is string => typeof value === "string" && HUB_ID.test(value)))];
}

/**
 * Pure: the facts the model card states, gathered from the validated run, the plan and the staged
 * files, once the repo ids are known. Everything passes the same sanitizer as the uploaded files.
 */
export function buildModelCardInput(params: {
  validated: ValidatedRun;
  plan: UploadPlan;
  files: readonly StagedFile[];
  repoId: string;
  datasetId: string | undefined;
  license: string;
  toolVersion: string;
  /** In a stable repo: the other runs published there (its tags). */
  publishedRuns?: string[] | undefined;
}): ModelCardInput {
  const { validated, plan } = params;
  const { assessment, conversion, mlxAdapter } = validated;
  const baseModelHubId = validated.baseModel?.id;
  const clean = (value: unknown): Record<string, unknown> | undefined => cleanRecord(value, baseModelHubId);
  const json = (rel: string): unknown => {
    const parsed = assessment.inspection.json.get(rel);
    return parsed?.ok ? parsed.value : undefined;
  };
  const fusedConfig = clean(json("config.json"));
  const quantized =
    fusedConfig !== undefined && ("quantization" in fusedConfig || "quantization_config" in fusedConfig);
  const primary = conversion !== undefined ? "peft" : assessment.detected.kinds[0];
  const metadataRel = [
    "training_metadata.json",
    ...(mlxAdapter?.dir ? [`${mlxAdapter.dir}/training_metadata.json`] : []),
  ];
  const metadataFile = metadataRel.find((rel) => json(rel) !== undefined);
  const metadata = clean(metadataFile === undefined ? undefined : json(metadataFile));
  // Results the training recorded belong in the evaluation section, not among the settings.
  const { results, metrics: recordedMetrics, evaluation: recordedEvaluation, ...settings } = metadata ?? {};
  const trainingMetadata = metadata === undefined ? undefined : settings;

  const lastStage = assessment.manifest?.stages.at(-1)?.name;
  const testSplit = plan.dataset === undefined ? undefined : plan.splits.find((split) => split.split === "test");
  const evaluation = assessment.evaluation.map((file) => ({ stage: file.stage, file: file.rel, results: file.value }));
  const recorded = results ?? recordedMetrics ?? recordedEvaluation;
  if (recorded !== undefined) {
    evaluation.push({ stage: lastStage, file: "training_metadata.json", results: recorded });
  }
  const metrics = assessment.evaluation
    .filter((file) => file.stage === lastStage)
    .flatMap((file) => modelIndexMetrics(file.value, testSplit));

  const weights = assessment.detected.shards.length > 0 ? assessment.detected.shards : ["model.safetensors"];
  const mlxFused =
    assessment.detected.kinds[0] === "fused" &&
    weights.some((rel) => {
      const header = assessment.inspection.safetensors.get(rel);
      return header?.ok === true && header.value.metadata?.format === "mlx";
    });
  // A run's own PEFT adapter records the PEFT that saved it (0.18 and later write peft_version).
  const peftConfig = conversion === undefined ? clean(json("adapter_config.json")) : undefined;
  const frameworkVersions = recordedVersions([
    ...(metadataFile === undefined ? [] : [{ source: metadataFile, value: metadata }]),
    ...(peftConfig !== undefined && "peft_type" in peftConfig
      ? [{ source: "adapter_config.json", value: { peft_version: peftConfig.peft_version } }]
      : []),
    ...(assessment.manifest?.stages ?? []).map((stage) => ({
      source: "run-manifest.json",
      value: clean(stage.trainingParams),
    })),
  ]);

  return {
    repoId: params.repoId,
    runName: assessment.run.name,
    runTimestamp: assessment.run.timestamp,
    kinds: plan.kinds,
    baseModel: baseModelHubId,
    trainingBase: validated.trainingBase,
    license: params.license,
    libraryName: primary === "peft" ? "peft" : primary === "fused" && !quantized ? "transformers" : "mlx",
    mlxAdapterPath: mlxAdapter === undefined ? undefined : conversion !== undefined ? MLX_FOLDER : mlxAdapter.dir,
    mlxAdapterConfig: mlxAdapter?.adapterConfig,
    peft: conversion?.plan.summary,
    trainingMetadata,
    trainingMetadataFile: metadataFile,
    mlxFused,
    chatTemplate: hasChatTemplate(assessment.inspection),
    frameworkVersions,
    datasets: datasetIds(metadata),
    trainingData:
      params.datasetId === undefined
        ? undefined
        : {
            id: params.datasetId,
            splits: plan.splits.map((split) => ({ split: split.split, examples: split.examples })),
          },
    stages: assessment.manifest?.stages.map((stage) => {
      const own = assessment.stageAdapters.find((entry) => entry.stage === stage.name);
      return {
        name: stage.name,
        trainingParams: clean(stage.trainingParams) ?? {},
        datasetStats: clean(stage.datasetStats) ?? {},
        adapterSettings: own === undefined ? undefined : readMlxAdapterConfig(own.value, own.file).config?.settings,
      };
    }),
    stageRankBreak: validated.stageRankBreak,
    evaluation,
    modelIndex:
      params.datasetId === undefined || metrics.length === 0
        ? undefined
        : { dataset: { id: params.datasetId, split: "test" }, metrics },
    files: params.files.map((file) => ({ path: file.pathInRepo, size: file.size })),
    publishedRuns: params.publishedRuns,
    toolVersion: params.toolVersion,
  };
}
