import type { Config } from "../config/parse-config.js";
import type { ProcessOptions } from "../command-options.js";

/** What the flags and the config decide about one upload, with where each decision came from. */
export interface UploadSettings {
  uploadEnabled: boolean;
  repoPrefix: string | undefined;
  private: boolean;
  privateSource: string;
  datasets: boolean;
  license: string;
  /** One stable repo (a tag per run), from --repo or huggingface.repo_id; undefined: a repo per run. */
  repoId: string | undefined;
  /** The branch commits go to (or pull requests are opened against). */
  branch: string;
  createPr: boolean;
  keepRemoteFiles: boolean;
  /** Gating for repos the tool creates; undefined: not asked for. */
  gated: false | "auto" | "manual" | undefined;
  /** Visibility and gating the user asked for explicitly (an existing repo that differs gets a warning). */
  asked: { private: boolean | undefined; gated: false | "auto" | "manual" | undefined };
  updateSettings: boolean;
}

/** Pure: flag > config (either layout) > default, for every setting of the upload. */
export function uploadSettings(options: ProcessOptions, config: Config): UploadSettings {
  const hub = config.huggingface;
  const privateRepos = options.private ?? hub.privateRepos;
  const gated = options.gated ?? hub.gated;
  return {
    uploadEnabled: hub.uploadEnabled,
    repoPrefix: hub.repoPrefix,
    private: privateRepos,
    privateSource:
      options.private === undefined ? config.sources.privateRepos : options.private ? "--private" : "--no-private",
    datasets: options.datasets ?? hub.uploadDatasets,
    license: hub.license,
    repoId: options.repo ?? hub.repoId,
    branch: options.revision ?? "main",
    createPr: options.createPr === true,
    keepRemoteFiles: options.keepRemoteFiles === true,
    gated,
    asked: {
      private: options.private !== undefined || config.sources.privateRepos !== "default" ? privateRepos : undefined,
      gated,
    },
    updateSettings: options.updateSettings === true,
  };
}
