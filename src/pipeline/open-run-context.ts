import { loadHashCache } from "../cache/load-hash-cache.js";
import type { LoadedConfig } from "../config/load-config.js";
import { openHubSession } from "../publish/open-hub-session.js";
import { sessionParams } from "./session-params.js";
import { loadConfigFor } from "../config/load-config-for.js";
import { modelsDirFor } from "../config/models-dir-for.js";
import type { CommandDeps, ProcessOptions } from "../command-options.js";
import type { RunContext } from "./upload-run.js";
import { uploadSettings } from "./upload-settings.js";

/**
 * What every upload of a command shares: the config, the settings it and the flags decide, where
 * the runs are, the Hub session (guard, token, client) and the hash cache. Sends no request.
 */
export async function openRunContext(
  options: ProcessOptions,
  deps: CommandDeps,
): Promise<{ loaded: LoadedConfig; modelsDir: { dir: string; source: string }; context: RunContext }> {
  const loaded = await loadConfigFor(options, deps);
  const settings = uploadSettings(options, loaded.config);
  const modelsDir = modelsDirFor(options, loaded, deps.env);
  const session = await openHubSession({
    ...sessionParams(options, settings, deps),
    // --skip-model-upload and upload_enabled: false never need the network either.
    dryRun: options.dryRun || options.skipUpload || !settings.uploadEnabled,
  });
  const { huggingface, sources, baseModelsDir } = loaded.config;
  return {
    loaded,
    modelsDir,
    context: {
      options,
      settings,
      validateOptions: {
        baseModelFlag: options.baseModel,
        configBaseModel:
          huggingface.baseModelHfId === undefined
            ? undefined
            : { value: huggingface.baseModelHfId, source: sources.baseModelHfId },
        scaling: options.mlxLoraScaling,
        allowUntrained: options.allowUntrained === true,
        baseModelsDir,
      },
      session,
      // Read by every run; written only after a real upload, so tests and dry runs leave no trace.
      cache: await loadHashCache(deps.env.cacheDir),
      deps,
      config: { path: loaded.path, origin: loaded.origin },
      warnings: [...loaded.warnings],
    },
  };
}
