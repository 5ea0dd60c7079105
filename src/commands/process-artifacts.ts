import { resolveBaseModel } from "../card/resolve-base-model.js";
import { loadConfig, type LoadedConfig } from "../config/load-config.js";
import { resolveUserPath } from "../config/resolve-user-path.js";
import type { RuntimeEnv } from "../env/read-env.js";
import { InterruptedError, UploadBlockedError, UsageError, ValidationError } from "../errors.js";
import { checkUploadGuard } from "../hub/check-upload-guard.js";
import { createHubClient } from "../hub/create-hub-client.js";
import { resolveToken } from "../hub/resolve-token.js";
import { toRepoName } from "../hub/to-repo-name.js";
import { formatBytes } from "../output/format-bytes.js";
import { collectRunIssues } from "../runs/collect-run-issues.js";
import { detectArtifactKinds, KIND_LABELS } from "../runs/detect-artifact-kinds.js";
import { inspectRun } from "../runs/inspect-run.js";
import { selectRun } from "../runs/select-run.js";
import { stageRun, type StagedRun } from "../staging/stage-run.js";
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
}

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

/** Reads the config with env overrides applied, reporting unknown keys as warnings. */
export async function loadConfigFor(
  options: Pick<ProcessOptions, "configPath">,
  deps: CommandDeps,
): Promise<LoadedConfig> {
  const { env } = deps;
  const loaded = await loadConfig({
    flagPath: options.configPath,
    envPath: env.configPath,
    cwd: env.cwd,
    home: env.home,
    packageRoot: deps.packageRoot,
    overrides: {
      fineTunedModelsDir: env.fineTunedModelsDir,
      baseModelsDir: env.baseModelsDir,
      defaultBaseModel: env.defaultBaseModel,
    },
  });
  for (const warning of loaded.warnings) {
    deps.onEvent({ type: "warning", message: warning });
  }
  deps.onEvent({ type: "info", verbose: true, message: `Config: ${loaded.path} (${loaded.origin})` });
  return loaded;
}

/** Where runs are looked for: --model-dir, else the config's fine_tuned_models_dir (env override applied). */
export function modelsDirFor(
  options: Pick<ProcessOptions, "modelDir">,
  loaded: LoadedConfig,
  env: RuntimeEnv,
): { dir: string; source: string } {
  if (options.modelDir !== undefined) {
    return { dir: resolveUserPath(options.modelDir, env.home, env.cwd), source: "--model-dir" };
  }
  const dir = loaded.config.fineTunedModelsDir;
  if (dir === undefined) {
    throw new UsageError(`fine_tuned_models_dir is not set in ${loaded.path}`, {
      hint: "Set it in the config, set OLMO_FINE_TUNED_MODELS_DIR, or pass --model-dir DIR",
    });
  }
  return { dir, source: loaded.config.sources.fineTunedModelsDir };
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
  const base: Omit<ProcessResult, "status" | "reason"> = {
    run: { name: run.name, path: run.path, selectedBy: run.selectedBy, timestamp: run.timestamp, kinds: [] },
    hubUrl: env.hubUrl,
    repoId: undefined,
    url: undefined,
    private: isPrivate,
    created: undefined,
    commit: undefined,
    files: [],
    totalBytes: 0,
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
  const issues = collectRunIssues(inspection, detected);
  base.run.kinds = detected.kinds;
  base.excluded = inspection.excluded.map((entry) => ({ path: entry.rel, reason: entry.reason }));
  if (issues.length > 0) {
    throw new ValidationError(
      `Run ${run.name} failed validation (${issues.length} problem${issues.length === 1 ? "" : "s"})`,
      issues,
      {
        hint: "Fix the files listed, or choose another run with --run NAME (see --list-runs)",
      },
    );
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
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });

  const repoName = toRepoName(run.name);
  const owner = config.huggingface.repoPrefix ?? (needsNetwork ? await client.whoAmI() : undefined);
  const repoId = owner === undefined ? undefined : `${owner}/${repoName}`;
  const mlxConfigRel =
    detected.mlxAdapterDir === undefined
      ? undefined
      : [detected.mlxAdapterDir, "adapter_config.json"].filter(Boolean).join("/");
  const jsonAt = (rel: string | undefined): Record<string, unknown> | undefined => {
    const parsed = rel === undefined ? undefined : inspection.json.get(rel);
    return parsed?.ok && parsed.value !== null && typeof parsed.value === "object"
      ? (parsed.value as Record<string, unknown>)
      : undefined;
  };
  const baseModel = resolveBaseModel([
    { value: config.huggingface.baseModelHfId, source: "config huggingface.base_model_hf_id" },
    { value: jsonAt("training_metadata.json")?.base_model, source: "training_metadata.json base_model" },
    { value: jsonAt(mlxConfigRel)?.model, source: `${mlxConfigRel ?? ""} model` },
    {
      value: jsonAt("adapter_config.json")?.base_model_name_or_path,
      source: "adapter_config.json base_model_name_or_path",
    },
  ]);
  if (baseModel === undefined) {
    warnings.push(
      "No base model Hub id is known: set huggingface.base_model_hf_id in the config so the model card can link it",
    );
    onEvent({ type: "warning", message: warnings[warnings.length - 1] ?? "" });
  }

  let staged: StagedRun | undefined;
  try {
    staged = await stageRun({
      runName: run.name,
      runTimestamp: run.timestamp,
      repoId: repoId ?? repoName,
      inspection,
      detected,
      baseModel: baseModel?.id,
      license: config.huggingface.license,
      tmpDir: env.tmpDir,
      toolVersion: deps.toolVersion,
    });
    for (const note of staged.notes) {
      onEvent({ type: "info", verbose: true, message: `Staged ${note}` });
    }
    throwIfInterrupted(deps.signal, "staging");
    const files = staged.files.map((file) => ({ path: file.pathInRepo, size: file.size, origin: file.origin }));
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    const title = `Upload ${run.name} (${detected.kinds.map((kind) => KIND_LABELS[kind]).join(" + ")})`;
    const description = [
      `Uploaded by process-artifacts ${deps.toolVersion} from training run ${run.name}${run.timestamp === undefined ? "" : ` (${run.timestamp.replace("T", " ")})`}.`,
      `${files.length} files, ${formatBytes(totalBytes)}.`,
    ].join("\n");
    const staging = { ...base, files, totalBytes, notes: staged.notes, repoId };

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
    try {
      const outcome = await client.upload({
        repoId,
        private: isPrivate,
        files: staged.files,
        title,
        description,
        onEvent,
      });
      return {
        ...staging,
        status: "uploaded",
        reason: undefined,
        url: outcome.repoUrl,
        created: outcome.created,
        commit: { ...outcome.commit, title },
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
    }
  } finally {
    await staged?.cleanup();
  }
}
