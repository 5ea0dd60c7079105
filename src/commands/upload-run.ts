import { realpath, rm } from "node:fs/promises";
import { acquireRunLock } from "../cache/acquire-run-lock.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import { buildModelCardInput } from "../card/build-model-card-input.js";
import { renderDatasetCard } from "../card/render-dataset-card.js";
import { renderModelCard } from "../card/render-model-card.js";
import { HubError, InterruptedError } from "../errors.js";
import { planUpload } from "../plan/plan-upload.js";
import type { UploadPlan } from "../plan/upload-plan.js";
import type { HubSession } from "../publish/hub-session.js";
import { planTargets } from "../publish/plan-targets.js";
import { publishUpload } from "../publish/publish-upload.js";
import type { RepoOutcome } from "../publish/repo-outcome.js";
import { KIND_LABELS } from "../runs/detect-artifact-kinds.js";
import type { SelectedRun } from "../runs/select-run.js";
import { bytesFile } from "../stage/bytes-file.js";
import { createStagingDir } from "../stage/create-staging-dir.js";
import { stageUpload } from "../stage/stage-upload.js";
import type { StagedFile, StagedRepo } from "../stage/staged-upload.js";
import { formatBytes } from "../util/format-bytes.js";
import { RUN_TRAILER } from "../hub/upload-trailer.js";
import { compareStrings } from "../util/compare-strings.js";
import { validateRun, type ValidateOptions } from "../validate/validate-run.js";
import type { CommandDeps, ProcessOptions, ProcessResult, RepoResult } from "./types.js";
import type { UploadSettings } from "./upload-settings.js";

export interface RunContext {
  options: ProcessOptions;
  settings: UploadSettings;
  validateOptions: ValidateOptions;
  session: HubSession;
  cache: HashCache;
  deps: CommandDeps;
  config: { path: string; origin: string };
  /** Warnings gathered before this run (config, skipped runs); the result repeats them. */
  warnings: string[];
}

function throwIfInterrupted(signal: AbortSignal | undefined, during: string): void {
  if (signal?.aborted) {
    throw new InterruptedError(`Interrupted during ${during}`);
  }
}

function resultFiles(files: readonly StagedFile[]): { files: RepoResult["files"]; totalBytes: number } {
  const listed = files
    .map((file) => ({ path: file.pathInRepo, size: file.size, origin: file.origin }))
    .sort((a, b) => compareStrings(a.path, b.path));
  return { files: listed, totalBytes: listed.reduce((sum, file) => sum + file.size, 0) };
}

function commitText(
  plan: UploadPlan,
  repo: StagedRepo,
  toolVersion: string,
  timestamp: string | undefined,
): {
  title: string;
  description: string;
} {
  const { files, totalBytes } = resultFiles(repo.files);
  const title =
    repo.type === "dataset"
      ? `Upload training data of ${plan.runName}`
      : `Upload ${plan.runName} (${plan.kinds.map((kind) => KIND_LABELS[kind]).join(" + ")})`;
  const description = [
    `Uploaded by process-artifacts ${toolVersion} from training run ${plan.runName}${timestamp === undefined ? "" : ` (${timestamp.replace("T", " ")})`}.`,
    `${files.length} files, ${formatBytes(totalBytes)}.`,
    "",
    // Lets a later upload tell which run a repo holds, so two runs never share a repo by accident.
    `${RUN_TRAILER}: ${plan.runName}`,
  ].join("\n");
  return { title, description };
}

/**
 * One run's upload, from its assessment to its result: validate → plan → stage → name the repos →
 * render the cards → publish (or stop at the plan for --dry-run, or at the guard in a test
 * environment). Everything local finishes before the first request; the staging folder is removed
 * however this ends. `--all` calls this once per run.
 */
export async function uploadRun(selected: SelectedRun, context: RunContext): Promise<ProcessResult> {
  const { options, settings, session, deps } = context;
  const { onEvent, signal } = deps;
  const { assessment } = selected;
  const warnings = [...context.warnings];
  const warn = (message: string): void => {
    warnings.push(message);
    onEvent({ type: "warning", message });
  };
  const base: ProcessResult = {
    status: "skipped",
    reason: undefined,
    run: {
      name: assessment.run.name,
      path: assessment.run.path,
      selectedBy: selected.selectedBy,
      timestamp: assessment.run.timestamp,
      layout: assessment.layout,
      modelPath: assessment.modelDir === "" ? assessment.run.path : `${assessment.run.path}/${assessment.modelDir}`,
      kinds: assessment.detected.kinds,
    },
    skippedRuns: selected.skipped,
    converted: false,
    hubUrl: session.env.hubUrl,
    repoId: undefined,
    url: undefined,
    private: settings.private,
    created: undefined,
    commit: undefined,
    files: [],
    totalBytes: 0,
    sent: undefined,
    dataset: undefined,
    excluded: assessment.inspection.excluded.map((entry) => ({ path: entry.rel, reason: entry.reason })),
    notes: [],
    warnings,
    config: context.config,
  };
  if (options.skipUpload) {
    return { ...base, reason: "--skip-model-upload flag" };
  }

  const validated = await validateRun(assessment, context.validateOptions);
  for (const warning of validated.warnings) {
    warn(warning);
  }
  if (validated.baseModel !== undefined) {
    onEvent({
      type: "info",
      verbose: true,
      message: `Base model: ${validated.baseModel.id} (from ${validated.baseModel.source})`,
    });
  } else {
    warn("No base model Hub id is known: set huggingface.base_model_hf_id in the config so the model card can link it");
  }
  for (const entry of assessment.inspection.excluded) {
    onEvent({ type: "info", verbose: true, message: `Excluded ${entry.rel}: ${entry.reason}` });
  }
  throwIfInterrupted(signal, "validation");
  if (!settings.uploadEnabled && !options.dryRun) {
    return { ...base, reason: `huggingface.upload_enabled is false in ${context.config.path}` };
  }

  const plan = planUpload(validated, { datasets: settings.datasets });
  for (const note of plan.notes) {
    onEvent({ type: "info", verbose: true, message: `Staged ${note}` });
  }
  const { dir, removedStale } = await createStagingDir(session.env.tmpDir);
  for (const stale of removedStale) {
    onEvent({ type: "info", verbose: true, message: `Removed a staging folder left by an interrupted run: ${stale}` });
  }
  try {
    const staged = await stageUpload({ plan, validated, dir, cache: context.cache });
    for (const warning of staged.warnings) {
      warn(warning);
    }
    throwIfInterrupted(signal, "staging");

    // Only now, with the run fully checked and staged, may we ask the Hub who owns the token.
    const namespace = settings.repoId === undefined ? await session.namespace() : undefined;
    const targets = planTargets({
      settings,
      namespace,
      runName: plan.runName,
      modelRepoName: staged.model.name,
      hasDataset: staged.dataset !== undefined,
    });
    const { shownModelId, shownDatasetId } = targets;
    const modelId = targets.model?.repo.id;
    const datasetId = targets.dataset?.repo.id;
    // A stable repo's card lists the other runs published there (its tags).
    const otherRuns =
      settings.repoId !== undefined && session.online && targets.model !== undefined
        ? await session.client
            .refs(targets.model.repo)
            .then((refs) => [...refs.tags.keys()].filter((tag) => tag !== plan.runName).sort())
            .catch((error: unknown) => {
              if (error instanceof HubError && error.statusCode === 404) {
                return [];
              }
              throw error;
            })
        : [];

    const modelCard = renderModelCard(
      buildModelCardInput({
        validated,
        plan,
        files: staged.model.files,
        repoId: shownModelId,
        datasetId: shownDatasetId,
        license: settings.license,
        toolVersion: deps.toolVersion,
        publishedRuns: settings.repoId === undefined ? undefined : otherRuns,
      }),
    );
    const datasetCard =
      staged.dataset === undefined || shownDatasetId === undefined
        ? undefined
        : renderDatasetCard({
            datasetId: shownDatasetId,
            modelId: shownModelId,
            runName: plan.runName,
            stage: assessment.datasets?.stage,
            license: settings.license,
            splits: plan.splits,
            toolVersion: deps.toolVersion,
          });
    const modelFiles = [...staged.model.files, bytesFile("README.md", "generated", modelCard, undefined)].sort((a, b) =>
      compareStrings(a.pathInRepo, b.pathInRepo),
    );
    const datasetFiles =
      staged.dataset === undefined || datasetCard === undefined
        ? undefined
        : [...staged.dataset.files, bytesFile("README.md", "generated", datasetCard, undefined)].sort((a, b) =>
            compareStrings(a.pathInRepo, b.pathInRepo),
          );

    const modelListing = resultFiles(modelFiles);
    const datasetListing = datasetFiles === undefined ? undefined : resultFiles(datasetFiles);
    const planned: ProcessResult = {
      ...base,
      ...modelListing,
      repoId: modelId,
      converted: validated.conversion !== undefined,
      notes: plan.notes,
    };
    const datasetResult = (status: RepoResult["status"], fields: Partial<RepoResult> = {}): RepoResult | undefined =>
      datasetListing === undefined
        ? undefined
        : {
            status,
            repoId: datasetId,
            url: undefined,
            private: settings.private,
            created: undefined,
            commit: undefined,
            sent: undefined,
            ...datasetListing,
            ...fields,
          };

    if (options.dryRun) {
      return {
        ...planned,
        status: "dry-run",
        url: modelId === undefined ? undefined : `${session.env.hubUrl}/${modelId}`,
        dataset: datasetResult("dry-run", {
          url: datasetId === undefined ? undefined : `${session.env.hubUrl}/datasets/${datasetId}`,
        }),
      };
    }
    if (!session.guard.allowed) {
      return {
        ...planned,
        status: "blocked",
        repoId: shownModelId,
        reason: session.guard.reason,
        url: `https://huggingface.co/test-blocked/${shownModelId}`,
        dataset: datasetResult("blocked", {
          repoId: shownDatasetId,
          url: `https://huggingface.co/datasets/test-blocked/${shownDatasetId ?? ""}`,
        }),
      };
    }
    if (targets.model === undefined) {
      throw new Error("repo id must be known before uploading");
    }

    const lock = await acquireRunLock({
      cacheDir: session.env.cacheDir,
      runPath: await realpath(assessment.run.path),
      fallbackDir: session.env.tmpDir,
    });
    if (lock.note !== undefined) {
      warn(lock.note);
    }
    try {
      const published = await publishUpload({
        client: session.client,
        model: {
          target: targets.model,
          files: modelFiles,
          card: modelCard,
          ...commitText(plan, staged.model, deps.toolVersion, assessment.run.timestamp),
        },
        dataset:
          datasetFiles === undefined ||
          targets.dataset === undefined ||
          datasetCard === undefined ||
          staged.dataset === undefined
            ? undefined
            : {
                target: targets.dataset,
                files: datasetFiles,
                card: datasetCard,
                ...commitText(plan, staged.dataset, deps.toolVersion, assessment.run.timestamp),
              },
        cache: context.cache,
        pendingConversion: staged.pendingConversion,
        run: { name: assessment.run.name, modelDir: assessment.modelDir },
        signal,
        onEvent,
      });
      for (const warning of [...(published.dataset?.warnings ?? []), ...published.model.warnings]) {
        warn(warning);
      }
      // An unwritable cache folder was already reported once, by the lock.
      const problem = lock.cacheWritable ? await context.cache.save() : undefined;
      if (problem !== undefined) {
        warn(problem);
      }
      const repoResult = (outcome: RepoOutcome, title: string): Partial<RepoResult> => ({
        status: outcome.status,
        url: outcome.url,
        created: outcome.created,
        commit: outcome.commit === undefined ? undefined : { ...outcome.commit, title },
        sent: outcome.sent,
        deleted: outcome.deleted,
        branch: outcome.branch,
        tag: outcome.tag,
        pullRequest: outcome.pullRequest,
      });
      const modelTitle = commitText(plan, staged.model, deps.toolVersion, assessment.run.timestamp).title;
      return {
        ...planned,
        ...repoResult(published.model, modelTitle),
        status: published.model.status,
        reason: undefined,
        dataset:
          published.dataset === undefined || staged.dataset === undefined
            ? undefined
            : datasetResult(
                published.dataset.status,
                repoResult(
                  published.dataset,
                  commitText(plan, staged.dataset, deps.toolVersion, assessment.run.timestamp).title,
                ),
              ),
      };
    } finally {
      await lock.release();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
