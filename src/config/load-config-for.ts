import { loadConfig, type LoadedConfig } from "./load-config.js";
import type { CommandDeps, ProcessOptions } from "../command-options.js";

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
      baseModelHfId: env.baseModelHfId,
    },
  });
  for (const warning of loaded.warnings) {
    deps.onEvent({ type: "warning", message: warning });
  }
  deps.onEvent({ type: "info", verbose: true, message: `Config: ${loaded.path} (${loaded.origin})` });
  for (const note of loaded.config.notes) {
    deps.onEvent({ type: "info", verbose: true, message: note });
  }
  return loaded;
}
