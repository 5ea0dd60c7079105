import { resolveBaseModel } from "../card/resolve-base-model.js";
import { loadConfigFor } from "./load-config-for.js";
import { modelsDirFor } from "./models-dir-for.js";
import type { RuntimeEnv } from "../env/read-env.js";
import { InterruptedError, UploadBlockedError, UsageError, ValidationError, type RunIssue } from "../errors.js";
import { checkUploadGuard } from "../hub/check-upload-guard.js";
import { createHubClient } from "../hub/create-hub-client.js";
import { resolveToken } from "../hub/resolve-token.js";
import { toRepoName } from "../hub/to-repo-name.js";
import { formatBytes } from "../output/format-bytes.js";
import { collectRunIssues } from "../runs/collect-run-issues.js";
import { detectArtifactKinds, KIND_LABELS } from "../runs/detect-artifact-kinds.js";
import { inspectRun } from "../runs/inspect-run.js";
import { scanForSecrets } from "../runs/scan-for-secrets.js";
import { selectRun } from "../runs/select-run.js";
import { stageRun, type StagedRun } from "../staging/stage-run.js";
import { loadHashCache } from "../cache/load-hash-cache.js";
import { acquireRunLock } from "../cache/acquire-run-lock.js";
import { realpath } from "node:fs/promises";
import { publishStaged } from "./publish-staged.js";
import type { MlxScaling } from "../convert/plan-peft-conversion.js";
import { prepareConversion } from "./prepare-conversion.js";
import type { CommandEvent, ProcessResult } from "./types.js";

export interface ProcessOptions {
  modelDir: string | undefined;
  configPath: string | undefined;
  runName: string | undefined;
  skipUpload: boolean;
  dryRun: boolean;
  /** --private / --no-private; undefined defers to the config. */
  private: boolean | undefined;
  token: string | undefined;
  /** --base-model: Hub id of the base model, beats the config. */
  baseModel?: string | undefined;
  /** --allow-untrained: upload an adapter whose lora_b are all zero. */
  allowUntrained?: boolean;
  /** --mlx-lora-scaling, needed only for ambiguous configs of mlx-lm ≤ 0.14. */
  mlxLoraScaling?: MlxScaling | undefined;
}

/** Hub ids of MLX-converted repos: fine for mlx-lm, but transformers/PEFT cannot load them as a base. */
const MLX_REPO = /^mlx-community\/|[-_](?:mlx|[348]bit|q[48])(?:[-_]|$)/i;

export interface CommandDeps {
  env: RuntimeEnv;
  packageRoot: string;
  toolVersion: string;
  /** Base fetch for Hub requests (tests pass nothing: msw intercepts the global fetch). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onEvent: (event: CommandEvent) => void;
  /** Told every secret we come to hold (the resolved token), so output can mask it. */
  registerSecret?: (secret: string) => void;
}

function throwIfInterrupted(signal: AbortSignal | undefined, during: string): void {
  if (signal?.aborted) {
    throw new InterruptedError(`Interrupted during ${during}; nothing was uploaded`);
  }
}

/**
 * The upload phase: config → newest run → validation → staging → upload (or plan, skip, block).
 * Validation and staging finish before any request; the temp folder is removed however this ends.
 */
export async function processArtifacts(options: ProcessOptions, deps: CommandDeps): Promise<ProcessResult> {
  const { env, onEvent } = deps;
  const loaded = await loadConfigFor(options, deps);
  const { config } = loaded;
  const modelsDir = modelsDirFor(options, loaded, env);
  const run = await selectRun({ modelsDir: modelsDir.dir, describeSource: modelsDir.source, runName: options.runName });
  onEvent({ type: "run-selected", run });
  for (const entry of run.ignored) {
    onEvent({ type: "info", verbose: true, message: `Ignored ${entry.name}: ${entry.reason}` });
  }

  const isPrivate = options.private ?? config.huggingface.privateRepos;
  const warnings = [...loaded.warnings];
  const warn = (message: string): void => {
    warnings.push(message);
    onEvent({ type: "warning", message });
  };
  const invalid = (issues: readonly RunIssue[]): ValidationError =>
    new ValidationError(
      `Run ${run.name} failed validation (${issues.length} problem${issues.length === 1 ? "" : "s"})`,
      issues,
      {
        hint: "Fix the files listed, or choose another run with --run NAME (see --list-runs)",
      },
    );
  const base: Omit<ProcessResult, "status" | "reason"> = {
    run: { name: run.name, path: run.path, selectedBy: run.selectedBy, timestamp: run.timestamp, kinds: [] },
    converted: false,
    hubUrl: env.hubUrl,
    repoId: undefined,
    url: undefined,
    private: isPrivate,
    created: undefined,
    commit: undefined,
    files: [],
    totalBytes: 0,
    sent: undefined,
    excluded: [],
    notes: [],
    warnings,
    config: { path: loaded.path, origin: loaded.origin },
  };
  if (options.skipUpload) {
    return { ...base, status: "skipped", reason: "--skip-model-upload flag" };
  }

  const inspection = await inspectRun(run.path);
  const detected = detectArtifactKinds(inspection);
  const { issues, warnings: runWarnings } = collectRunIssues(inspection, detected);
  base.run.kinds = detected.kinds;
  base.excluded = inspection.excluded.map((entry) => ({ path: entry.rel, reason: entry.reason }));
  for (const warning of runWarnings) {
    warn(warning);
  }
  issues.push(...(await scanForSecrets(inspection.files)));

  const jsonAt = (rel: string | undefined): Record<string, unknown> | undefined => {
    const parsed = rel === undefined ? undefined : inspection.json.get(rel);
    return parsed?.ok && parsed.value !== null && typeof parsed.value === "object"
      ? (parsed.value as Record<string, unknown>)
      : undefined;
  };
  const mlxDir = detected.mlxAdapterDir;
  const mlxRel = (name: string): string | undefined =>
    mlxDir === undefined ? undefined : [mlxDir, name].filter(Boolean).join("/");
  const mlxModel = jsonAt(mlxRel("adapter_config.json"))?.model;
  const baseModel = resolveBaseModel([
    { value: options.baseModel, source: "--base-model" },
    { value: config.huggingface.baseModelHfId, source: "config huggingface.base_model_hf_id" },
    { value: jsonAt("training_metadata.json")?.base_model, source: "training_metadata.json base_model" },
    {
      value: typeof mlxModel === "string" && MLX_REPO.test(mlxModel) ? undefined : mlxModel,
      source: `${mlxRel("adapter_config.json") ?? ""} model`,
    },
    {
      value: jsonAt("adapter_config.json")?.base_model_name_or_path,
      source: "adapter_config.json base_model_name_or_path",
    },
  ]);
  if (options.baseModel !== undefined && baseModel?.source !== "--base-model") {
    throw new UsageError(
      `--base-model must be a Hub model id such as allenai/OLMo-2-0425-1B-Instruct, got "${options.baseModel}"`,
    );
  }
  if (baseModel !== undefined) {
    onEvent({ type: "info", verbose: true, message: `Base model: ${baseModel.id} (from ${baseModel.source})` });
  }

  const { conversion, issues: conversionIssues } = prepareConversion({
    inspection,
    detected,
    baseModel: baseModel?.id,
    scaling: options.mlxLoraScaling,
    allowUntrained: options.allowUntrained === true,
  });
  issues.push(...conversionIssues);
  if (issues.length > 0) {
    throw invalid(issues);
  }
  for (const entry of inspection.excluded) {
    onEvent({ type: "info", verbose: true, message: `Excluded ${entry.rel}: ${entry.reason}` });
  }
  throwIfInterrupted(deps.signal, "validation");

  if (!config.huggingface.uploadEnabled && !options.dryRun) {
    return { ...base, status: "skipped", reason: `huggingface.upload_enabled is false in ${loaded.path}` };
  }

  const guard = checkUploadGuard({ hubUrl: env.hubUrl, testSignals: env.testSignals });
  const needsNetwork = guard.allowed && !options.dryRun;
  const token = needsNetwork
    ? await resolveToken({ flagToken: options.token, envToken: env.hfToken, tokenPaths: env.tokenPaths })
    : undefined;
  if (token) {
    deps.registerSecret?.(token.token);
    onEvent({ type: "info", verbose: true, message: `Token: from ${token.source}` });
  }
  const client = createHubClient({
    hubUrl: env.hubUrl,
    token: token?.token,
    testSignals: env.testSignals,
    network: env.network,
    onRetry: (info) => onEvent({ type: "retry", ...info }),
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });

  if (baseModel === undefined) {
    warn("No base model Hub id is known: set huggingface.base_model_hf_id in the config so the model card can link it");
  }

  // Read by every run; written only after a real upload, so tests and dry runs leave no trace.
  const cache = await loadHashCache(env.cacheDir);
  let staged: StagedRun | undefined;
  try {
    staged = await stageRun({
      runName: run.name,
      runTimestamp: run.timestamp,
      inspection,
      detected,
      baseModel: baseModel?.id,
      license: config.huggingface.license,
      tmpDir: env.tmpDir,
      toolVersion: deps.toolVersion,
      conversion,
      cache,
    });
    for (const note of staged.notes) {
      onEvent({ type: "info", verbose: true, message: `Staged ${note}` });
    }
    for (const warning of staged.warnings) {
      warn(warning);
    }
    if (staged.issues.length > 0) {
      throw invalid(staged.issues);
    }
    throwIfInterrupted(deps.signal, "staging");

    // Only now, with the run fully checked and staged, may we ask the Hub who owns the token.
    const repoName = toRepoName(run.name);
    const owner = config.huggingface.repoPrefix ?? (needsNetwork ? await client.whoAmI() : undefined);
    const repoId = owner === undefined ? undefined : `${owner}/${repoName}`;
    const readme = await staged.writeCard(repoId ?? repoName);
    const files = staged.files.map((file) => ({ path: file.pathInRepo, size: file.size, origin: file.origin }));
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    const kinds = conversion === undefined ? detected.kinds : (["peft", ...detected.kinds] as const);
    const title = `Upload ${run.name} (${kinds.map((kind) => KIND_LABELS[kind]).join(" + ")})`;
    const description = [
      `Uploaded by process-artifacts ${deps.toolVersion} from training run ${run.name}${run.timestamp === undefined ? "" : ` (${run.timestamp.replace("T", " ")})`}.`,
      `${files.length} files, ${formatBytes(totalBytes)}.`,
    ].join("\n");
    const staging = { ...base, files, totalBytes, notes: staged.notes, repoId, converted: conversion !== undefined };

    if (options.dryRun) {
      return {
        ...staging,
        status: "dry-run",
        reason: undefined,
        commit: undefined,
        url: repoId === undefined ? undefined : `${env.hubUrl}/${repoId}`,
      };
    }
    if (!guard.allowed) {
      const shownId = repoId ?? repoName;
      return {
        ...staging,
        repoId: shownId,
        status: "blocked",
        reason: guard.reason,
        url: `https://huggingface.co/test-blocked/${shownId}`,
      };
    }
    if (repoId === undefined) {
      throw new Error("repo id must be known before uploading");
    }
    const lock = await acquireRunLock({ cacheDir: env.cacheDir, runPath: await realpath(run.path) });
    if (lock.note !== undefined) {
      warn(lock.note);
    }
    try {
      const outcome = await publishStaged({
        client,
        repoId,
        isPrivate,
        files: staged.files,
        readme,
        title,
        description,
        cache,
        signal: deps.signal,
        onEvent,
        invalid,
      });
      for (const warning of outcome.warnings) {
        warn(warning);
      }
      const problem = await cache.save();
      if (problem !== undefined) {
        warn(problem);
      }
      return {
        ...staging,
        status: outcome.status,
        reason: undefined,
        url: outcome.url,
        created: outcome.created,
        commit: outcome.commit === undefined ? undefined : { ...outcome.commit, title },
        sent: outcome.sent,
      };
    } catch (error) {
      if (error instanceof UploadBlockedError) {
        return {
          ...staging,
          status: "blocked",
          reason: error.message,
          url: `https://huggingface.co/test-blocked/${repoId}`,
        };
      }
      throw error;
    } finally {
      await lock.release();
    }
  } finally {
    await staged?.cleanup();
  }
}
