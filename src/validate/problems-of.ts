import { ValidationError, type RunIssue } from "../errors.js";

/**
 * The run's problems a failure reports: a validation error's own, or those of the validation error
 * that made a later step fail (a model card the Hub refused after the dataset had landed, say).
 * Undefined when the failure is not about the run's files.
 */
export function problemsOf(error: unknown): { issues: readonly RunIssue[]; sentences: boolean } | undefined {
  const found = [error, error instanceof Error ? error.cause : undefined].find(
    (candidate): candidate is ValidationError => candidate instanceof ValidationError,
  );
  return found === undefined ? undefined : { issues: found.issues, sentences: found.sentences };
}
