import type { LoadedConfig } from "./load-config.js";
import { resolveUserPath } from "../util/resolve-user-path.js";
import type { RuntimeEnv } from "../env/read-env.js";
import { UsageError } from "../errors.js";
import type { ProcessOptions } from "../command-options.js";

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
