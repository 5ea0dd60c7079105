import { realpath, rm } from "node:fs/promises";
import { acquireRunLock } from "../cache/acquire-run-lock.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import { renderCards } from "../card/render-cards.js";
import { InterruptedError } from "../errors.js";
import { planUpload } from "../plan/plan-upload.js";
import { commitMessage } from "../publish/commit-message.js";
import type { HubSession } from "../publish/hub-session.js";
import { listPublishedRuns } from "../publish/list-published-runs.js";
import { planTargets } from "../publish/plan-targets.js";
import { publishUpload } from "../publish/publish-upload.js";
import { runTag } from "../publish/run-tag.js";
import type { SelectedRun } from "../runs/select-run.js";
import { scanGeneratedFiles } from "../secrets/scan-generated-files.js";
import { createStagingDir } from "../stage/create-staging-dir.js";
import { generatedContents } from "../stage/generated-contents.js";
import { stageUpload } from "../stage/stage-upload.js";
import { invalidRunError } from "../validate/invalid-run-error.js";
import { validateRun, type ValidateOptions } from "../validate/validate-run.js";
import { outcomeFields } from "../results/outcome-fields.js";
import { resultFiles } from "../results/result-files.js";
import type { ProcessResult, RepoResult } from "../results/types.js";
import type { CommandDeps, ProcessOptions } from "../command-options.js";
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

/**
 * What the tool wrote itself is checked for secrets like the run's files, before it can be sent:
 * its values come from the run, the config and the flags, and rewriting undoes escapes.
 */
async function refuseSecrets(
  runName: string,
  contents: ReadonlyArray<{ label: string; bytes: Uint8Array }>,
): Promise<void> {
  const issues = await scanGeneratedFiles(contents);
  if (issues.length > 0) {
    throw invalidRunError(runName, issues);
  }
}

function throwIfInterrupted(signal: AbortSignal | undefined, during: string): void {
  if (signal?.aborted) {
    throw new InterruptedError(`Interrupted during ${during}`);
  }
}

/**
 * One run's upload, from its assessment to its result: validate → plan → stage → name the repos →
 * render the cards → publish (or stop at the plan for --dry-run, or at the guard in a test
 * environment). Everything local, value checks of the conversion included, finishes before the
 * first request; the staging folder is removed however this ends. `--all` calls this once per run.
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
    skippedRuns: selected.skipped.map((run) => ({ name: run.name, missing: run.missing.map((part) => part.message) })),
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
  // Refused at once, not after validation and conversion: planTargets would refuse it anyway.
  runTag(settings, assessment.run.name);

  const validated = await validateRun(assessment, context.validateOptions);
  validated.warnings.forEach(warn);
  if (validated.baseModel === undefined) {
    warn("No base model Hub id is known: set huggingface.base_model_hf_id in the config so the model card can link it");
  } else {
    const { id, source } = validated.baseModel;
    onEvent({ type: "info", verbose: true, message: `Base model: ${id} (from ${source})` });
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
    staged.warnings.forEach(warn);
    const stable = settings.repoId !== undefined;
    const targetsFor = (namespace: string | undefined): ReturnType<typeof planTargets> =>
      planTargets({
        settings,
        namespace,
        runName: plan.runName,
        modelRepoName: staged.model.name,
        hasDataset: staged.dataset !== undefined,
      });
    const cardsFor = (
      { shownModelId, shownDatasetId }: ReturnType<typeof planTargets>,
      publishedRuns: string[] | undefined,
    ): ReturnType<typeof renderCards> =>
      renderCards({
        validated,
        plan,
        staged,
        modelId: shownModelId,
        datasetId: shownDatasetId,
        license: settings.license,
        toolVersion: deps.toolVersion,
        publishedRuns,
      });
    const cardContents = (rendered: ReturnType<typeof renderCards>): ReturnType<typeof generatedContents> =>
      (["model", "dataset"] as const).flatMap((type) => {
        const files = rendered[type]?.files.filter((file) => file.pathInRepo === "README.md");
        return files === undefined ? [] : generatedContents({ type, files }, undefined);
      });
    // Everything the tool wrote is checked before the first request: the cards with the repo ids
    // known here, and again below once the Hub has named the token's owner (or a stable repo's runs).
    await refuseSecrets(plan.runName, [
      ...[staged.model, staged.dataset].flatMap((repo) =>
        repo === undefined ? [] : generatedContents(repo, validated.conversion),
      ),
      ...cardContents(cardsFor(targetsFor(undefined), stable ? [] : undefined)),
    ]);
    throwIfInterrupted(signal, "staging");

    // Only now, with the run fully checked and staged, may we ask the Hub who owns the token.
    const namespace = settings.repoId === undefined ? await session.namespace() : undefined;
    const targets = targetsFor(namespace);
    const { shownModelId, shownDatasetId } = targets;
    const cards = cardsFor(
      targets,
      !stable || targets.model === undefined
        ? undefined
        : session.online
          ? await listPublishedRuns(session.client, targets.model.repo, plan.runName)
          : [],
    );
    await refuseSecrets(plan.runName, cardContents(cards));
    const planned: ProcessResult = {
      ...base,
      ...resultFiles(cards.model.files),
      repoId: targets.model?.repo.id,
      converted: validated.conversion !== undefined,
      notes: plan.notes,
    };
    const datasetResult = (status: RepoResult["status"], fields: Partial<RepoResult> = {}): RepoResult | undefined =>
      cards.dataset === undefined
        ? undefined
        : {
            status,
            repoId: targets.dataset?.repo.id,
            url: undefined,
            private: settings.private,
            created: undefined,
            commit: undefined,
            sent: undefined,
            ...resultFiles(cards.dataset.files),
            ...fields,
          };

    if (options.dryRun) {
      return {
        ...planned,
        status: "dry-run",
        url: targets.model === undefined ? undefined : session.client.repoUrl(targets.model.repo),
        dataset: datasetResult("dry-run", {
          url: targets.dataset === undefined ? undefined : session.client.repoUrl(targets.dataset.repo),
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
      const message = (
        type: "model" | "dataset",
        files: typeof cards.model.files,
      ): { title: string; description: string } =>
        commitMessage({ plan, type, files, toolVersion: deps.toolVersion, timestamp: assessment.run.timestamp });
      const modelMessage = message("model", cards.model.files);
      const datasetMessage = cards.dataset === undefined ? undefined : message("dataset", cards.dataset.files);
      const size = (files: typeof cards.model.files): { files: number; bytes: number } => {
        const listed = resultFiles(files);
        return { files: listed.files.length, bytes: listed.totalBytes };
      };
      onEvent({
        type: "publishing",
        run: assessment.run.name,
        repos: [
          { type: "model", repoId: targets.model.repo.id, ...size(cards.model.files) },
          ...(cards.dataset === undefined || targets.dataset === undefined
            ? []
            : [{ type: "dataset" as const, repoId: targets.dataset.repo.id, ...size(cards.dataset.files) }]),
        ],
      });
      const published = await publishUpload({
        client: session.client,
        model: { target: targets.model, ...cards.model, ...modelMessage },
        dataset:
          cards.dataset === undefined || targets.dataset === undefined || datasetMessage === undefined
            ? undefined
            : { target: targets.dataset, ...cards.dataset, ...datasetMessage },
        cache: context.cache,
        pendingConversion: staged.pendingConversion,
        run: { name: assessment.run.name, modelDir: assessment.modelDir },
        signal,
        onEvent,
      });
      [...(published.dataset?.warnings ?? []), ...published.model.warnings].forEach(warn);
      // An unwritable cache folder was already reported once, by the lock.
      const problem = lock.cacheWritable ? await context.cache.save() : undefined;
      if (problem !== undefined) {
        warn(problem);
      }
      return {
        ...planned,
        ...outcomeFields(published.model, modelMessage.title),
        status: published.model.status,
        reason: undefined,
        dataset:
          published.dataset === undefined || datasetMessage === undefined
            ? undefined
            : datasetResult(published.dataset.status, outcomeFields(published.dataset, datasetMessage.title)),
      };
    } finally {
      await lock.release();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
