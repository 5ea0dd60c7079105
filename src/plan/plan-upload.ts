import { toRepoName } from "../hub/to-repo-name.js";
import { FLAT_DATASET_DIR } from "../runs/assess-run.js";
import { MANIFEST_FILE } from "../runs/run-manifest.js";
import { sanitizeJson } from "./sanitize-json.js";
import { compareStrings } from "../util/compare-strings.js";
import type { ValidatedRun } from "../validate/validated-run.js";
import type { PlannedFile, UploadPlan } from "./upload-plan.js";

/** Config and metadata files we rewrite to drop local paths. Tokenizer vocabularies are never touched. */
const SANITIZED_FILES = new Set([
  "adapter_config.json",
  "training_metadata.json",
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "training_args.json",
  MANIFEST_FILE,
]);
/** Evaluation results name the model and test files by their paths on the training machine. */
const EVALUATION_JSON = /(^|\/)(eval|evaluation)[^/]*\.json$|^evaluation\/[^/]+\.json$/i;

/** Where the original MLX adapter goes when the PEFT files take the repo root. */
export const MLX_FOLDER = "mlx";

export const DATASET_REPO_SUFFIX = "-training-data";

/**
 * Pure: what each repo will hold. The model repo gets the model folder's files (sanitized where
 * they hold local paths; with the PEFT conversion at the root and the MLX original under mlx/); the
 * training splits go to a dataset repo of their own, byte for byte, never into the model repo.
 */
export function planUpload(validated: ValidatedRun, options: { datasets: boolean }): UploadPlan {
  const { assessment, conversion, baseModel } = validated;
  const { inspection } = assessment;
  const notes: string[] = [];
  const mlxDir = validated.mlxAdapter?.dir;
  const repoPathOf = (rel: string): string => {
    if (conversion === undefined || mlxDir === undefined) {
      return rel;
    }
    if (mlxDir === "") {
      return rel === "adapters.safetensors" || rel === "adapter_config.json" ? `${MLX_FOLDER}/${rel}` : rel;
    }
    return rel.startsWith(`${mlxDir}/`) ? `${MLX_FOLDER}/${rel.slice(mlxDir.length + 1)}` : rel;
  };
  const shown = (rel: string): string => (assessment.modelDir === "" ? rel : `${assessment.modelDir}/${rel}`);

  const files: PlannedFile[] = [];
  let dataFolderNoted = false;
  for (const file of inspection.files) {
    if (file.rel === "README.md") {
      notes.push(`${shown(file.rel)}: replaced by the generated model card`);
      continue;
    }
    if (assessment.layout === "flat" && file.rel.startsWith(`${FLAT_DATASET_DIR}/`)) {
      if (!dataFolderNoted) {
        dataFolderNoted = true;
        notes.push(
          `${FLAT_DATASET_DIR}/: not put in the model repo (${
            validated.splits.length === 0
              ? "it holds no train/valid/test.jsonl"
              : options.datasets
                ? "its splits are published as the dataset repo"
                : "dataset upload is turned off"
          })`,
        );
      }
      continue;
    }
    const pathInRepo = repoPathOf(file.rel);
    const parsed = inspection.json.get(file.rel);
    const base = file.rel.split("/").pop() ?? "";
    if (parsed?.ok && (SANITIZED_FILES.has(base) || EVALUATION_JSON.test(file.rel))) {
      const { value, changes } = sanitizeJson(parsed.value, { baseModelHubId: baseModel?.id });
      if (changes.length > 0) {
        files.push({
          pathInRepo,
          origin: "sanitized",
          content: { type: "text", text: `${JSON.stringify(value, null, 2)}\n`, from: file },
        });
        notes.push(...changes.map((change) => `${shown(file.rel)}: ${change}`));
        continue;
      }
    }
    files.push({ pathInRepo, origin: "run", content: { type: "run", file } });
  }
  if (conversion !== undefined) {
    files.push(
      { pathInRepo: "adapter_model.safetensors", origin: "converted", content: { type: "converted-weights" } },
      {
        pathInRepo: "adapter_config.json",
        origin: "converted",
        content: { type: "text", text: `${JSON.stringify(conversion.plan.config, null, 2)}\n`, from: undefined },
      },
    );
    notes.push(
      `${shown(conversion.weights.rel)}: converted to PEFT (adapter_model.safetensors, adapter_config.json); the MLX files are under ${MLX_FOLDER}/`,
    );
  }
  files.sort((a, b) => compareStrings(a.pathInRepo, b.pathInRepo));

  const runName = assessment.run.name;
  const dataset =
    options.datasets && validated.splits.length > 0
      ? {
          type: "dataset" as const,
          name: toRepoName(runName, DATASET_REPO_SUFFIX),
          files: (assessment.datasets?.splits ?? [])
            .map(({ file }): PlannedFile => ({
              pathInRepo: file.rel.split("/").pop() ?? file.rel,
              origin: "run",
              content: { type: "run", file },
            }))
            .sort((a, b) => compareStrings(a.pathInRepo, b.pathInRepo)),
        }
      : undefined;
  if (assessment.layout === "staged" && assessment.datasets !== undefined) {
    notes.push(
      options.datasets
        ? `${assessment.datasets.dir}/: ${validated.splits.map((split) => split.pathInRepo).join(", ")} published as the dataset repo`
        : `${assessment.datasets.dir}/: not published (dataset upload is turned off)`,
    );
  }
  return {
    runName,
    kinds: conversion === undefined ? assessment.detected.kinds : ["peft", ...assessment.detected.kinds],
    model: { type: "model", name: toRepoName(runName), files },
    dataset,
    splits: validated.splits,
    notes,
  };
}
