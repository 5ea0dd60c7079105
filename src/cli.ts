import yargs from "yargs";
import { UsageError } from "./errors.js";
import { CLI_OPTIONS } from "./cli-options.js";
import type { ProcessOptions } from "./commands/types.js";

export type CliCommand =
  | { kind: "list-runs"; options: ProcessOptions; json: boolean; verbose: boolean }
  | { kind: "upload"; options: ProcessOptions; json: boolean; verbose: boolean };

/** Flags that take one value: giving one twice is a mistake we report rather than silently picking one. */
const SINGLE_VALUED = ["model-dir", "config", "run", "token", "base-model", "mlx-lora-scaling"] as const;
const ONLY_FLAGS = ["only-upload"] as const;
// --help and --version are answered in main.ts; yargs reserves both names, so it never sees them.
const { help: _help, version: _version, ...PARSED_OPTIONS } = CLI_OPTIONS;

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
    ])
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
    datasets: typeof args.datasets === "boolean" ? args.datasets : undefined,
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
