import { ValidationError, type RunIssue } from "../errors.js";

/** The one shape of "this run cannot be published": every problem, named from the run folder. */
export function invalidRunError(runName: string, issues: readonly RunIssue[]): ValidationError {
  return new ValidationError(
    `Run ${runName} failed validation (${issues.length} problem${issues.length === 1 ? "" : "s"})`,
    issues,
    { hint: "Fix the files listed, or choose another run with --run NAME (see --list-runs)" },
  );
}
