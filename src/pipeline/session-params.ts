import type { CommandDeps, ProcessOptions } from "../command-options.js";
import type { SessionParams } from "../publish/hub-session.js";
import type { UploadSettings } from "./upload-settings.js";

/** What every command hands the Hub session it opens: the token flag, the namespace prefix, and its deps. */
export function sessionParams(options: ProcessOptions, settings: UploadSettings, deps: CommandDeps): SessionParams {
  return {
    env: deps.env,
    flagToken: options.token,
    repoPrefix: settings.repoPrefix,
    namespaceSource:
      options.repo !== undefined ? "--repo" : settings.repoId !== undefined ? "huggingface.repo_id" : "prefix",
    fetch: deps.fetch,
    signal: deps.signal,
    onEvent: deps.onEvent,
    registerSecret: deps.registerSecret,
    // The flag beats the environment: --xet uploads through Xet even with HF_HUB_DISABLE_XET set.
    xet: options.xet ?? !deps.env.disableXet,
  };
}
