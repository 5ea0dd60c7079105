import { ExitCode } from "./exit-codes.js";

/**
 * The flags, described once. cli.ts feeds them to yargs; help-text.ts renders `--help` from them
 * without loading yargs, so `--help` starts as fast as Node itself allows.
 */
export const CLI_OPTIONS = {
  "only-upload": {
    type: "boolean",
    description: "Run only the upload phase (the default and only phase; kept for pipeline compatibility)",
  },
  "model-dir": {
    type: "string",
    description: "Folder holding the runs, or a run/model folder itself (overrides the config)",
    requiresArg: true,
  },
  config: {
    type: "string",
    description: "Config file (default: $OLMO_CONFIG, else config/olmo-security-config.yaml)",
    requiresArg: true,
  },
  run: {
    type: "string",
    description: "Upload this run (a folder name inside the models dir) instead of the newest",
    requiresArg: true,
  },
  all: {
    type: "boolean",
    description:
      "Publish every complete run that is not published yet, oldest first (a backlog); one failure does not stop the others",
  },
  since: {
    type: "string",
    description: "With --all: only runs from this date on (YYYYMMDD)",
    requiresArg: true,
  },
  repo: {
    type: "string",
    description:
      "Publish into this one repo (OWNER/NAME), each run as one commit tagged with the run's name, instead of a repo per run (config huggingface.repo_id)",
    requiresArg: true,
  },
  revision: {
    type: "string",
    description: "Commit to this branch (created from main if missing; a slash is fine) instead of main",
    requiresArg: true,
  },
  "create-pr": {
    type: "boolean",
    description:
      "Open a pull request with the upload instead of committing to the branch (one per repo; prints their URLs); an open one of ours with the same files is reused",
  },
  "keep-remote-files": {
    type: "boolean",
    description:
      "With --repo: keep every file this run does not have (default: files an earlier run published are deleted in the same commit; files anyone else added always stay)",
  },
  gated: {
    type: "string",
    choices: ["auto", "manual"],
    description: "Gate access to repos this tool creates (config huggingface.gated)",
    requiresArg: true,
  },
  "update-settings": {
    type: "boolean",
    description: "Change an existing repo's visibility/gating to what the flags and config ask (default: only warn)",
  },
  offline: { type: "boolean", description: "With --list-runs: do not ask the Hub which runs are published" },
  "list-runs": {
    type: "boolean",
    description:
      "List the runs, newest first: status (complete / incomplete: what is missing / invalid: its problems), layout, kind, size, and whether each complete run is published (with a token); upload nothing",
  },
  "skip-model-upload": { type: "boolean", description: "Find the run but upload nothing (prints the skip line)" },
  "dry-run": {
    type: "boolean",
    description:
      "Validate and stage, print the plan (files, sizes, repos); sends nothing (with --all: says which runs are published)",
  },
  json: { type: "boolean", description: "Print one JSON result object on stdout; everything else goes to stderr" },
  private: {
    type: "boolean",
    description: "Create the repo private (default: huggingface.private_repos; --no-private to force public)",
  },
  datasets: {
    type: "boolean",
    description:
      "Publish the run's train/valid/test.jsonl as a linked dataset repo (default: huggingface.upload_datasets; --no-datasets to skip)",
  },
  xet: {
    type: "boolean",
    description:
      "Upload through Xet storage when the Hub offers it, sending only the chunks it lacks (default; --no-xet: every file whole through LFS, as HF_HUB_DISABLE_XET=1)",
  },
  token: {
    type: "string",
    description: "Hub token (prefer HF_TOKEN: command lines are visible to other users)",
    requiresArg: true,
  },
  "base-model": {
    type: "string",
    description: "Hub id of the base model the run was trained from (beats huggingface.base_model_hf_id)",
    requiresArg: true,
  },
  "allow-untrained": { type: "boolean", description: "Upload an MLX adapter even if every lora_b is zero (untrained)" },
  "mlx-lora-scaling": {
    type: "string",
    choices: ["modern", "legacy"],
    description: "Only for mlx-lm ≤ 0.14 adapter configs: which LoRA scaling trained them (the files cannot tell)",
    requiresArg: true,
  },
  verbose: { alias: "v", type: "boolean", description: "Explain each step, and show stack traces for errors" },
  help: { alias: "h", type: "boolean", description: "Show this help" },
  version: { alias: "V", type: "boolean", description: "Show the version number" },
} as const satisfies Record<
  string,
  {
    type: "boolean" | "string";
    description: string;
    requiresArg?: boolean;
    alias?: string;
    choices?: readonly string[];
  }
>;

export const DESCRIPTION = `Publish the newest complete fine-tuned run to the Hugging Face Hub.

Finds the newest complete run (webauthn-security-sequential-YYYYMMDD_HHMMSS and the older
spellings; runs still training are skipped) in the fine-tuned models directory (from
config/olmo-security-config.yaml, or --model-dir), validates it before any request, stages a
Hub-ready copy (MLX LoRA converted to PEFT, a model card; the run itself is never modified) and
publishes it: its training data as a linked dataset repo, then the model, each in one commit that
is read back before it is reported. Runs written by the pipeline's run manager (run-manifest.json,
stage1/, stage2/, final-model/) publish their final model, else stage 2's adapters.
Under a test runner (VITEST, JEST_WORKER_ID, NODE_ENV=test, TESTING=1, PYTEST_CURRENT_TEST,
NODE_TEST_CONTEXT) uploads to the production Hub are refused; point HF_ENDPOINT at a local Hub
instead (process-artifacts-hub starts one).`;

export const EPILOGUE = `Environment:
  HF_TOKEN                     Hub token (else $HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token)
  HF_ENDPOINT                  Hub URL (default https://huggingface.co)
  OLMO_CONFIG                  config file (default ./config/olmo-security-config.yaml)
  OLMO_FINE_TUNED_MODELS_DIR   overrides fine_tuned_models_dir from the config
  OLMO_BASE_MODELS_DIR         overrides base_models_dir from the config
  OLMO_BASE_MODEL_HF_ID        overrides the base model's Hub id from the config
  XDG_CACHE_HOME               where the hash cache lives (default ~/.cache)
  HF_HUB_DISABLE_PROGRESS_BARS 1, true, yes or on: no progress line on the terminal
  HF_HUB_OFFLINE               1, true, yes or on: no Hub requests (uploads refused; --dry-run, --list-runs work)
  HF_HUB_DISABLE_XET           1, true, yes or on: upload every file through LFS, never Xet (as --no-xet)

Exit codes:
  ${ExitCode.Ok}    uploaded, already up to date, blocked in a test environment, skipped, dry run
  ${ExitCode.Failure}    runtime failure (network, Hub, disk; with --all: a run failed, or an incomplete run is older than a finished one)
  ${ExitCode.Usage}    usage or config error (with --repo: a run name that cannot be a tag)
  ${ExitCode.InvalidRun}    the run failed validation, or --run names an incomplete run (nothing was uploaded)
  ${ExitCode.NoRun}    no (complete) run found
  ${ExitCode.Auth}    missing or rejected token
  ${ExitCode.Interrupted}  interrupted (Ctrl-C, SIGTERM): temp files removed; the line says what was committed`;
