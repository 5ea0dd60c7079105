import type { UploadPlan } from "../plan/upload-plan.js";
import { bytesFile } from "../stage/bytes-file.js";
import type { StagedFile, StagedUpload } from "../stage/staged-upload.js";
import { compareStrings } from "../util/compare-strings.js";
import type { ValidatedRun } from "../validate/validated-run.js";
import { buildModelCardInput } from "./build-model-card-input.js";
import { cleanRecord } from "./clean-record.js";
import { renderDatasetCard } from "./render-dataset-card.js";
import { renderModelCard } from "./render-model-card.js";

export interface CardedRepo {
  card: string;
  /** The staged files with README.md (the card) added, sorted by repo path. */
  files: StagedFile[];
}

/** What the run manifest says about the published stage's data, through the same sanitizer as every recorded value. */
function recordedStats(validated: ValidatedRun): Record<string, unknown> | undefined {
  const { manifest, datasets } = validated.assessment;
  const stats = manifest?.stages.find((stage) => stage.name === datasets?.stage)?.datasetStats;
  const clean = cleanRecord(stats, validated.baseModel?.id);
  return clean !== undefined && Object.keys(clean).length > 0 ? clean : undefined;
}

function withCard(files: readonly StagedFile[], card: string): StagedFile[] {
  return [
    ...files.filter((file) => file.pathInRepo !== "README.md"),
    bytesFile("README.md", "generated", card, undefined),
  ].sort((a, b) => compareStrings(a.pathInRepo, b.pathInRepo));
}

/**
 * Pure: the model card and the dataset card, once the repo ids are known, each added to its repo's
 * files. The two cards link each other.
 */
export function renderCards(params: {
  validated: ValidatedRun;
  plan: UploadPlan;
  staged: StagedUpload;
  modelId: string;
  datasetId: string | undefined;
  license: string;
  toolVersion: string;
  /** In a stable repo: the other runs published there (its tags); undefined for a repo per run. */
  publishedRuns: string[] | undefined;
}): { model: CardedRepo; dataset: CardedRepo | undefined } {
  const { validated, plan, staged } = params;
  const modelCard = renderModelCard(
    buildModelCardInput({
      validated,
      plan,
      files: staged.model.files,
      repoId: params.modelId,
      datasetId: params.datasetId,
      license: params.license,
      toolVersion: params.toolVersion,
      publishedRuns: params.publishedRuns,
    }),
  );
  const dataset =
    staged.dataset === undefined || params.datasetId === undefined
      ? undefined
      : renderDatasetCard({
          datasetId: params.datasetId,
          modelId: params.modelId,
          runName: plan.runName,
          stage: validated.assessment.datasets?.stage,
          license: params.license,
          splits: plan.splits,
          recordedStats: recordedStats(validated),
          toolVersion: params.toolVersion,
        });
  return {
    model: { card: modelCard, files: withCard(staged.model.files, modelCard) },
    dataset:
      dataset === undefined || staged.dataset === undefined
        ? undefined
        : { card: dataset, files: withCard(staged.dataset.files, dataset) },
  };
}
