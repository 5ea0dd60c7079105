import type { Config } from "../config/parse-config.js";
import type { ProcessOptions } from "./types.js";

/** What the flags and the config decide about one upload, with where each decision came from. */
export interface UploadSettings {
  uploadEnabled: boolean;
  repoPrefix: string | undefined;
  private: boolean;
  privateSource: string;
  datasets: boolean;
  license: string;
}

/** Pure: flag > config (either layout) > default, for every setting of the upload. */
export function uploadSettings(options: ProcessOptions, config: Config): UploadSettings {
  const hub = config.huggingface;
  return {
    uploadEnabled: hub.uploadEnabled,
    repoPrefix: hub.repoPrefix,
    private: options.private ?? hub.privateRepos,
    privateSource:
      options.private === undefined ? config.sources.privateRepos : options.private ? "--private" : "--no-private",
    datasets: options.datasets ?? hub.uploadDatasets,
    license: hub.license,
  };
}
