import type { CommandEvent } from "./command-event.js";
import type { MlxScaling } from "./convert/plan-peft-conversion.js";
import type { RuntimeEnv } from "./env/read-env.js";

/** The flags, as the commands take them; cli.ts builds this from argv. */
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
  /** --no-datasets (false); undefined defers to the config's huggingface.upload_datasets. */
  datasets?: boolean | undefined;
  /** --all: every complete run not yet published, oldest first. */
  all?: boolean;
  /** --since YYYYMMDD (with --all). */
  since?: string | undefined;
  /** --repo OWNER/NAME: one stable repo, a tag per run; undefined defers to huggingface.repo_id. */
  repo?: string | undefined;
  /** --revision BRANCH (default main). */
  revision?: string | undefined;
  createPr?: boolean;
  keepRemoteFiles?: boolean;
  /** --gated; undefined defers to huggingface.gated. */
  gated?: "auto" | "manual" | undefined;
  updateSettings?: boolean;
  /** --offline (with --list-runs): no Hub requests. */
  offline?: boolean;
  /** --no-xet (false): every file through LFS; undefined defers to HF_HUB_DISABLE_XET (Xet by default). */
  xet?: boolean | undefined;
}

/** Everything a command needs from outside: the environment, seams for the network, and where to report. */
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
