import { loadHashCache } from "../cache/load-hash-cache.js";
import { openHubSession } from "../publish/open-hub-session.js";
import { selectRun } from "../runs/select-run.js";
import { loadConfigFor } from "./load-config-for.js";
import { modelsDirFor } from "./models-dir-for.js";
import type { CommandDeps, ProcessOptions, ProcessResult } from "./types.js";
import { uploadRun } from "./upload-run.js";
import { uploadSettings } from "./upload-settings.js";

/**
 * The upload phase: config → the newest complete run → its upload (see uploadRun). Newer runs that
 * are still incomplete are skipped with a warning each.
 */
export async function processArtifacts(options: ProcessOptions, deps: CommandDeps): Promise<ProcessResult> {
  const { env, onEvent } = deps;
  const loaded = await loadConfigFor(options, deps);
  const settings = uploadSettings(options, loaded.config);
  const modelsDir = modelsDirFor(options, loaded, env);
  const selected = await selectRun({
    modelsDir: modelsDir.dir,
    describeSource: modelsDir.source,
    runName: options.runName,
  });
  onEvent({ type: "run-selected", run: { path: selected.assessment.run.path, selectedBy: selected.selectedBy } });
  const warnings = [...loaded.warnings];
  for (const run of selected.skipped) {
    const message = `Skipped ${run.name}: incomplete (${run.missing.join("; ")})`;
    warnings.push(message);
    onEvent({ type: "warning", message });
  }
  for (const entry of selected.ignored) {
    onEvent({ type: "info", verbose: true, message: `Ignored ${entry.name}: ${entry.reason}` });
  }
  onEvent({
    type: "info",
    verbose: true,
    message: `Visibility of new repos: ${settings.private ? "private" : "public"} (from ${settings.privateSource})`,
  });

  const session = await openHubSession({
    env,
    // --skip-model-upload and upload_enabled: false never need the network either.
    dryRun: options.dryRun || options.skipUpload || !settings.uploadEnabled,
    flagToken: options.token,
    repoPrefix: settings.repoPrefix,
    fetch: deps.fetch,
    signal: deps.signal,
    onEvent,
    registerSecret: deps.registerSecret,
  });
  // Read by every run; written only after a real upload, so tests and dry runs leave no trace.
  const cache = await loadHashCache(env.cacheDir);
  return uploadRun(selected, {
    options,
    settings,
    validateOptions: {
      baseModelFlag: options.baseModel,
      configBaseModel:
        loaded.config.huggingface.baseModelHfId === undefined
          ? undefined
          : { value: loaded.config.huggingface.baseModelHfId, source: loaded.config.sources.baseModelHfId },
      scaling: options.mlxLoraScaling,
      allowUntrained: options.allowUntrained === true,
      baseModelsDir: loaded.config.baseModelsDir,
    },
    session,
    cache,
    deps,
    config: { path: loaded.path, origin: loaded.origin },
    warnings,
  });
}
