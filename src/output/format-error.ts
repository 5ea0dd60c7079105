import { ConfigError, NoRunFoundError, ProcessArtifactsError } from "../errors.js";
import { problemsOf } from "../validate/problems-of.js";
import { ExitCode } from "../exit-codes.js";
import { describeIssue } from "../runs/describe-issue.js";

/**
 * Pure: an error → what the user reads on stderr and the exit code. Expected errors get one line
 * (plus one line per problem when there are several) and their fix; anything else is a bug report
 * prompt, with the stack only under --verbose.
 */
export function formatError(error: unknown, options: { verbose: boolean }): { text: string; exitCode: number } {
  if (error instanceof ProcessArtifactsError) {
    const lines = [`Error: ${error.message}${error.hint === undefined ? "" : ` — ${error.hint}`}`];
    const problems = problemsOf(error);
    for (const issue of problems?.issues ?? []) {
      // What an incomplete run lacks is said in sentences that name their file, found in the run folder.
      lines.push(
        `  - ${problems?.sentences ? describeIssue({ file: "", message: issue.message }) : describeIssue(issue)}`,
      );
    }
    if (error instanceof ConfigError) {
      for (const problem of error.problems) {
        lines.push(`  - ${problem}`);
      }
    }
    if (error instanceof NoRunFoundError && (options.verbose || error.showDetails)) {
      for (const detail of error.details) {
        lines.push(`  - ${detail}`);
      }
    }
    if (options.verbose && error.cause instanceof Error && error.cause.stack) {
      lines.push(`Cause: ${error.cause.stack}`);
    }
    return { text: `${lines.join("\n")}\n`, exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [
    `Internal error: ${message} — this is a bug in process-artifacts; please report it with the output of --verbose`,
  ];
  if (options.verbose && error instanceof Error && error.stack) {
    lines.push(error.stack);
  }
  return { text: `${lines.join("\n")}\n`, exitCode: ExitCode.Failure };
}
