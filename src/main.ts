import os from "node:os";
import type { CommandDeps } from "./command-options.js";
import { NoRunFoundError, PartialUploadError, ProcessArtifactsError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import { createOutput, type Io } from "./output/create-output.js";
import { describeInterruption, type LandedCommit } from "./output/describe-interruption.js";
import { formatError } from "./output/format-error.js";
import { helpText } from "./help-text.js";
import { packageRoot } from "./package-root.js";
import { scanArgv } from "./scan-argv.js";
import { problemsOf } from "./validate/problems-of.js";

export interface MainOptions {
  signal?: AbortSignal;
  /** Base fetch for Hub requests; the global fetch when omitted. */
  fetch?: typeof fetch;
  /** Defaults for values the environment may override (tests pass temp folders). */
  cwd?: string;
  homedir?: string;
  tmpdir?: string;
}

/**
 * The whole program as a function: argv and env in, text on io, exit code out. Only bin.ts calls it
 * with the real process; tests call it in-process so msw can see every request.
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  options: MainOptions = {},
): Promise<number> {
  const secrets: string[] = [env.HF_TOKEN, env.HUGGING_FACE_HUB_TOKEN].filter(
    (value): value is string => !!value?.trim(),
  );
  const early = scanArgv(argv);
  for (const value of early.values.get("token") ?? []) {
    if (value.trim() !== "") {
      secrets.push(value.trim());
    }
  }
  let verbose = early.flags.has("verbose");
  let json = early.flags.has("json");
  const output = createOutput({ io, verbose, secrets: () => secrets });
  // Every commit seen to land, so an interruption never claims less (or more) than happened.
  const committed: LandedCommit[] = [];

  try {
    const { root, version } = packageRoot();
    // Answered before any heavy module loads: `--help` costs little more than starting Node.
    if (early.flags.has("help")) {
      output.result(helpText(io.stdoutColumns));
      return ExitCode.Ok;
    }
    if (early.flags.has("version")) {
      output.result(`${version}\n`);
      return ExitCode.Ok;
    }
    const [
      { parseCli },
      { readEnv },
      { processArtifacts },
      { listRuns },
      { publishAll },
      { renderResult },
      { renderRunList },
      { renderBacklog },
      { backlogFailures },
    ] = await Promise.all([
      import("./cli.js"),
      import("./env/read-env.js"),
      import("./commands/process-artifacts.js"),
      import("./commands/list-runs.js"),
      import("./commands/publish-all.js"),
      import("./output/render-result.js"),
      import("./output/render-run-list.js"),
      import("./output/render-backlog.js"),
      import("./results/backlog-failures.js"),
    ]);
    const command = await parseCli(argv);
    verbose = command.verbose;
    json = command.json;
    const runtime = readEnv(env, {
      home: options.homedir ?? os.homedir(),
      cwd: options.cwd ?? process.cwd(),
      tmpDir: options.tmpdir ?? os.tmpdir(),
    });
    output.configure({ verbose, json, progress: !runtime.disableProgressBars });
    const deps: CommandDeps = {
      env: runtime,
      packageRoot: root,
      toolVersion: version,
      onEvent: (event) => {
        if (event.type === "committed") {
          committed.push({ repoId: event.repoId, oid: event.oid });
        }
        output.event(event);
      },
      registerSecret: (secret) => secrets.push(secret),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    if (command.kind === "list-runs") {
      const result = await listRuns(command.options, deps);
      output.result(json ? `${JSON.stringify(result, null, 2)}\n` : renderRunList(result));
      return ExitCode.Ok;
    }
    if (command.kind === "all") {
      const result = await publishAll(command.options, deps);
      output.result(json ? `${JSON.stringify({ runs: result.runs }, null, 2)}\n` : renderBacklog(result));
      return backlogFailures(result.runs).length > 0 ? ExitCode.Failure : ExitCode.Ok;
    }
    const result = await processArtifacts(command.options, deps);
    output.result(json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result));
    return ExitCode.Ok;
  } catch (caught) {
    const error = options.signal?.aborted ? describeInterruption(caught, committed) : caught;
    const { text, exitCode } = formatError(error, { verbose });
    output.error(text);
    if (json) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = error instanceof ProcessArtifactsError ? error.hint : undefined;
      output.result(
        `${JSON.stringify(
          {
            status: "error",
            exitCode,
            error: { message, hint, type: error instanceof Error ? error.name : "Error" },
            ...(problemsOf(error) === undefined ? {} : { problems: problemsOf(error)?.issues }),
            ...(error instanceof NoRunFoundError && error.incompleteRuns.length > 0
              ? { incompleteRuns: error.incompleteRuns }
              : {}),
            ...(error instanceof PartialUploadError ? { landed: error.landed } : {}),
            ...(committed.length > 0 ? { committed } : {}),
          },
          null,
          2,
        )}\n`,
      );
    }
    return exitCode;
  } finally {
    output.close();
  }
}
