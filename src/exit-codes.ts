/**
 * The one table of exit codes. Pipelines branch on these, so they are part of the public contract
 * (README "Exit codes"); change them only with a major version.
 */
export const ExitCode = {
  /** Uploaded, already up to date, blocked in a test environment, skipped, dry run or listing. */
  Ok: 0,
  /** Failed at runtime: network, Hub, disk, conversion. Retrying later may help. */
  Failure: 1,
  /** Bad flags, bad or missing config file, bad environment value. Fix the invocation. */
  Usage: 2,
  /** The run folder failed validation. Fix or re-train the run. */
  InvalidRun: 3,
  /** No run folder was found where we looked. */
  NoRun: 4,
  /** No usable token, or the Hub refused it (401/403). */
  Auth: 5,
  /** Interrupted by SIGINT/SIGTERM. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
