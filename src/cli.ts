import yargs from "yargs";
import { UsageError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { ProcessOptions } from "./commands/process-artifacts.js";

export type CliCommand =
  | { kind: "help"; text: string }
  | { kind: "version"; text: string }
  | { kind: "list-runs"; options: ProcessOptions; json: boolean; verbose: boolean }
  | { kind: "upload"; options: ProcessOptions; json: boolean; verbose: boolean };

const DESCRIPTION = `Upload the newest fine-tuned run to the Hugging Face Hub.

Finds the newest webauthn-security-sequential_YYYYMMDD_HHMMSS run in the fine-tuned models
directory (from config/olmo-security-config.yaml, or --model-dir), validates it, stages a
Hub-ready copy in a temp folder (the run itself is never modified) and uploads it in one commit.
Under a test runner (VITEST, JEST_WORKER_ID, NODE_ENV=test, TESTING=1, PYTEST_CURRENT_TEST,
NODE_TEST_CONTEXT) uploads to the production Hub are refused; point HF_ENDPOINT at a local Hub.`;

const EPILOGUE = `Environment:
  HF_TOKEN                     Hub token (else $HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token)
  HF_ENDPOINT                  Hub URL (default https://huggingface.co)
  OLMO_CONFIG                  config file (default ./config/olmo-security-config.yaml)
  OLMO_FINE_TUNED_MODELS_DIR   overrides fine_tuned_models_dir from the config
  OLMO_BASE_MODELS_DIR         overrides base_models_dir from the config

Exit codes:
  ${ExitCode.Ok}    uploaded, blocked in a test environment, skipped, dry run
  ${ExitCode.Failure}    runtime failure (network, Hub, disk)
  ${ExitCode.Usage}    usage or config error
  ${ExitCode.InvalidRun}    the run failed validation (nothing was uploaded)
  ${ExitCode.NoRun}    no run found
  ${ExitCode.Auth}    missing or rejected token
  ${ExitCode.Interrupted}  interrupted (Ctrl-C)`;

/** Flags that take one value: giving one twice is a mistake we report rather than silently picking one. */
const SINGLE_VALUED = ["model-dir", "config", "run", "token", "base-model", "mlx-lora-scaling"] as const;
const ONLY_FLAGS = ["only-upload"] as const;

/**
 * argv → what to do. The only importer of yargs. Never exits the process and never prints: help and
 * version text are returned, usage problems are thrown as UsageError.
 */
export async function parseCli(
  argv: readonly string[],
  context: { version: string; columns: number | undefined },
): Promise<CliCommand> {
  const { version } = context;
  const onlyFlagsGiven = argv.filter((arg) => /^--only-[a-z-]+(=.*)?$/.test(arg));
  if (onlyFlagsGiven.length > 1) {
    throw new UsageError(`Cannot combine several --only-* flags: ${onlyFlagsGiven.join(" ")}`, {
      hint: "process-artifacts runs only the upload phase; pass --only-upload once (or not at all)",
    });
  }
  const stray = onlyFlagsGiven.find(
    (arg) => !ONLY_FLAGS.some((flag) => arg === `--${flag}` || arg.startsWith(`--${flag}=`)),
  );
  if (stray !== undefined) {
    throw new UsageError(`${stray} is not a phase of process-artifacts`, {
      hint: "This tool implements only the upload phase (--only-upload); run the other phases with their own tools",
    });
  }

  let captured = "";
  const parser = yargs([...argv])
    .scriptName("process-artifacts")
    .usage(`$0 [--only-upload] [options]\n\n${DESCRIPTION}`)
    .options({
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
      "list-runs": {
        type: "boolean",
        description: "List the runs found, newest first, with kind and size; upload nothing",
      },
      "skip-model-upload": { type: "boolean", description: "Find the run but upload nothing (prints the skip line)" },
      "dry-run": {
        type: "boolean",
        description: "Validate and stage, print the plan (files, sizes, repo, commit); no network",
      },
      json: { type: "boolean", description: "Print one JSON result object on stdout; everything else goes to stderr" },
      private: {
        type: "boolean",
        description: "Create the repo private (default: huggingface.private_repos; --no-private to force public)",
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
      "allow-untrained": {
        type: "boolean",
        description: "Upload an MLX adapter even if every lora_b is zero (untrained)",
      },
      "mlx-lora-scaling": {
        type: "string",
        choices: ["modern", "legacy"],
        description:
          "For adapter configs of mlx-lm ≤ 0.14 only: which LoRA scaling trained them (the files cannot tell)",
        requiresArg: true,
      },
      verbose: { alias: "v", type: "boolean", description: "Explain each step, and show stack traces for errors" },
    })
    .conflicts("list-runs", [
      "dry-run",
      "skip-model-upload",
      "run",
      "private",
      "token",
      "base-model",
      "allow-untrained",
    ])
    .conflicts("dry-run", "skip-model-upload")
    .strict()
    .strictOptions()
    .parserConfiguration({ "duplicate-arguments-array": true, "strip-aliased": true, "strip-dashed": false })
    .help("help")
    .alias("help", "h")
    .version("version", "Show the version number", version)
    .epilogue(EPILOGUE)
    .wrap(Math.min(110, context.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parse problems as YError; anything else is ours and passes through.
      if (error && error.name !== "YError") {
        throw error;
      }
      throw new UsageError(message ?? error?.message ?? "invalid arguments", {
        hint: "Run process-artifacts --help for the flags",
      });
    });

  const args = await parser.parseAsync([...argv], {}, (_error, _args, output) => {
    captured = output;
  });

  if (args.help === true) {
    return { kind: "help", text: captured.endsWith("\n") ? captured : `${captured}\n` };
  }
  if (args.version === true) {
    return { kind: "version", text: `${version}\n` };
  }
  if (args._.length > 0) {
    throw new UsageError(`Unexpected argument: ${String(args._[0])}`, {
      hint: "Pass the runs folder with --model-dir DIR",
    });
  }
  for (const flag of [
    ...SINGLE_VALUED,
    "only-upload",
    "list-runs",
    "skip-model-upload",
    "dry-run",
    "json",
    "private",
    "verbose",
  ]) {
    if (Array.isArray(args[flag])) {
      throw new UsageError(`--${flag} was given more than once`, { hint: "Pass it once" });
    }
  }
  const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
  const options: ProcessOptions = {
    modelDir: str(args["model-dir"]),
    configPath: str(args.config),
    runName: str(args.run),
    skipUpload: args["skip-model-upload"] === true,
    dryRun: args["dry-run"] === true,
    private: typeof args.private === "boolean" ? args.private : undefined,
    token: str(args.token),
    baseModel: str(args["base-model"]),
    allowUntrained: args["allow-untrained"] === true,
    mlxLoraScaling:
      args["mlx-lora-scaling"] === "legacy" ? "legacy" : args["mlx-lora-scaling"] === "modern" ? "modern" : undefined,
  };
  for (const [flag, value] of [
    ["--model-dir", options.modelDir],
    ["--config", options.configPath],
    ["--run", options.runName],
  ] as const) {
    if (value !== undefined && value.trim() === "") {
      throw new UsageError(`${flag} needs a non-empty value`);
    }
  }
  return {
    kind: args["list-runs"] === true ? "list-runs" : "upload",
    options,
    json: args.json === true,
    verbose: args.verbose === true,
  };
}
