import yargs from "yargs";
import { UsageError } from "./errors.js";
import { CLI_OPTIONS } from "./cli-options.js";
import { HUB_REPO_ID } from "./config/config-schema.js";
import type { ProcessOptions } from "./command-options.js";

export interface CliCommand {
  /** "all": --all; "list-runs": --list-runs; "upload": the newest (or --run) run. */
  kind: "list-runs" | "upload" | "all";
  options: ProcessOptions;
  json: boolean;
  verbose: boolean;
}

/** A git branch name as the Hub accepts one: no spaces, no "..", no leading "refs/" or "-". */
const BRANCH_NAME = /^(?!refs\/)(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![/.])$/;

/** Flags that take one value: giving one twice is a mistake we report rather than silently picking one. */
const SINGLE_VALUED = [
  "model-dir",
  "config",
  "run",
  "token",
  "base-model",
  "mlx-lora-scaling",
  "since",
  "repo",
  "revision",
  "gated",
] as const;
const ONLY_FLAGS = ["only-upload"] as const;
// --help and --version are answered in main.ts; yargs reserves both names, so it never sees them.
const { help: _help, version: _version, ...OPTIONS } = CLI_OPTIONS;
type OptionName = keyof typeof OPTIONS;
// yargs is not told the choices: its refusal is a multi-line English text; ours names the flag and its values.
const PARSED_OPTIONS = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, option]) => {
    const { choices: _choices, ...rest } = option as { choices?: readonly string[] };
    return [name, rest];
  }),
) as { [Name in OptionName]: Omit<(typeof OPTIONS)[Name], "choices"> };

/**
 * argv → what to do. The only importer of yargs. Never exits the process and never prints; usage
 * problems are thrown as UsageError. (--help and --version never get here: see main.ts.)
 */
export async function parseCli(argv: readonly string[]): Promise<CliCommand> {
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

  const parser = yargs([...argv])
    .scriptName("process-artifacts")
    .options(PARSED_OPTIONS)
    .conflicts("list-runs", [
      "dry-run",
      "skip-model-upload",
      "run",
      "private",
      "token",
      "base-model",
      "allow-untrained",
      "datasets",
      "all",
      "since",
      "revision",
      "create-pr",
      "keep-remote-files",
      "gated",
      "update-settings",
    ])
    .conflicts("all", "run")
    .conflicts("create-pr", "keep-remote-files")
    .conflicts("dry-run", "skip-model-upload")
    .strict()
    .strictOptions()
    .parserConfiguration({ "duplicate-arguments-array": true, "strip-aliased": true, "strip-dashed": false })
    // Help and version are answered by main.ts before yargs is even loaded.
    .help(false)
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parse problems as YError; anything else is ours and passes through.
      if (error && error.name !== "YError") {
        throw error;
      }
      // One line, whatever yargs produced (its "Invalid values" message spans several).
      const text = (message ?? error?.message ?? "invalid arguments").replace(/\s*\n\s*/g, "; ").replace(/;\s*;/g, ";");
      throw new UsageError(text, {
        hint: "Run process-artifacts --help for the flags",
      });
    });

  const args = await parser.parseAsync([...argv]);
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
    "datasets",
    "verbose",
    "all",
    "create-pr",
    "keep-remote-files",
    "update-settings",
    "offline",
    "xet",
  ]) {
    if (Array.isArray(args[flag])) {
      throw new UsageError(`--${flag} was given more than once`, { hint: "Pass it once" });
    }
  }
  for (const [name, option] of Object.entries(OPTIONS)) {
    const value: unknown = args[name];
    if ("choices" in option && typeof value === "string" && !(option.choices as readonly string[]).includes(value)) {
      throw new UsageError(`--${name} takes ${option.choices.join(" or ")}, got "${value}"`, {
        hint: `e.g. --${name} ${option.choices[0]}`,
      });
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
    datasets: typeof args.datasets === "boolean" ? args.datasets : undefined,
    all: args.all === true,
    since: str(args.since),
    repo: str(args.repo),
    revision: str(args.revision),
    createPr: args["create-pr"] === true,
    keepRemoteFiles: args["keep-remote-files"] === true,
    gated: args.gated === "auto" ? "auto" : args.gated === "manual" ? "manual" : undefined,
    updateSettings: args["update-settings"] === true,
    offline: args.offline === true,
    xet: typeof args.xet === "boolean" ? args.xet : undefined,
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
  if (options.since !== undefined && !options.all) {
    throw new UsageError("--since only works with --all", { hint: "Use --all --since YYYYMMDD" });
  }
  if (options.since !== undefined && !/^\d{8}$/.test(options.since)) {
    throw new UsageError(`--since takes a date as YYYYMMDD, got "${options.since}"`);
  }
  if (options.repo !== undefined && !HUB_REPO_ID.test(options.repo)) {
    throw new UsageError(`--repo takes OWNER/NAME, a Hub repo id, got "${options.repo}"`, {
      hint: "Letters, digits, '-', '_' and '.', e.g. --repo my-org/webauthn-security-model",
    });
  }
  if (options.revision !== undefined && !BRANCH_NAME.test(options.revision)) {
    throw new UsageError(`--revision takes a branch name, got "${options.revision}"`, {
      hint: "A branch such as dev or experiments/stage2; pull requests are made with --create-pr",
    });
  }
  if (options.keepRemoteFiles && options.repo === undefined) {
    throw new UsageError("--keep-remote-files only applies with --repo", {
      hint: "A repo per run holds one run only; --repo OWNER/NAME publishes runs into one repo",
    });
  }
  return {
    kind: args["list-runs"] === true ? "list-runs" : args.all === true ? "all" : "upload",
    options,
    json: args.json === true,
    verbose: args.verbose === true,
  };
}
