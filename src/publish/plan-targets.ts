import { toRepoName } from "../hub/to-repo-name.js";
import { DATASET_REPO_SUFFIX } from "../plan/plan-upload.js";
import type { RepoTarget } from "./repo-target.js";
import { runTag } from "./run-tag.js";

/**
 * Pure: the repos a run goes to. By default a repo per run (`<namespace>/<run>`), or with --repo
 * (huggingface.repo_id) one stable repo where each run is a commit tagged with the run's name.
 * The dataset follows: `<model repo>-training-data`, tagged the same way (see runTag). `namespace` is undefined
 * when it is not known (a dry run without a prefix): ids are then undefined.
 */
export function planTargets(params: {
  settings: {
    /** One stable repo (a tag per run), or undefined for a repo per run. */
    repoId: string | undefined;
    branch: string;
    createPr: boolean;
    keepRemoteFiles: boolean;
    private: boolean;
    gated: RepoTarget["gated"];
    asked: RepoTarget["asked"];
    updateSettings: boolean;
  };
  namespace: string | undefined;
  runName: string;
  modelRepoName: string;
  hasDataset: boolean;
}): {
  model: RepoTarget | undefined;
  dataset: RepoTarget | undefined;
  shownModelId: string;
  shownDatasetId: string | undefined;
} {
  const { settings } = params;
  const stable = settings.repoId;
  const modelId =
    stable ?? (params.namespace === undefined ? undefined : `${params.namespace}/${params.modelRepoName}`);
  const shownModelId = modelId ?? params.modelRepoName;
  const [owner, name] = shownModelId.includes("/")
    ? (shownModelId.split("/") as [string, string])
    : [undefined, shownModelId];
  const datasetName = toRepoName(name, DATASET_REPO_SUFFIX);
  const shownDatasetId = params.hasDataset
    ? owner === undefined
      ? datasetName
      : `${owner}/${datasetName}`
    : undefined;
  const tag = runTag(settings, params.runName);
  const target = (type: "model" | "dataset", id: string): RepoTarget => ({
    repo: { type, id },
    branch: settings.branch,
    createPr: settings.createPr,
    tag,
    deleteOthers: stable !== undefined && !settings.keepRemoteFiles,
    namedByUser: stable !== undefined,
    private: settings.private,
    gated: settings.gated,
    asked: settings.asked,
    updateSettings: settings.updateSettings,
  });
  return {
    model: modelId === undefined ? undefined : target("model", modelId),
    dataset: modelId === undefined || shownDatasetId === undefined ? undefined : target("dataset", shownDatasetId),
    shownModelId,
    shownDatasetId,
  };
}
