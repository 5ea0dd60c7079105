import { InterruptedError, PartialUploadError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";

export interface LandedCommit {
  repoId: string;
  oid: string;
}

/**
 * Pure: the one line to print after Ctrl-C or SIGTERM, whatever was thrown on the way out. Where
 * the run stopped comes from the error; what was committed comes from the commits this process saw
 * land (`committed`), never from where it stopped: "nothing was committed" only when none landed
 * and no commit was on its way. A partial upload (the training data landed, then the model was
 * interrupted) keeps what landed for --json.
 */
export function describeInterruption(
  error: unknown,
  committed: readonly LandedCommit[],
): InterruptedError | PartialUploadError {
  const stop = error instanceof PartialUploadError ? error.cause : error;
  const where = stop instanceof InterruptedError ? stop.message : "Interrupted";
  const inFlight = stop instanceof InterruptedError && stop.commitInFlight;
  // A commit the message already names (one that landed while it was being sent) is not repeated.
  const others = committed.filter((commit) => !where.includes(commit.oid));
  const message =
    others.length > 0
      ? `${where} (already committed: ${others.map((commit) => `${commit.repoId} at ${commit.oid}`).join(", ")})`
      : committed.length === 0 && !inFlight
        ? `${where}; nothing was committed`
        : where;
  const hint =
    (stop instanceof InterruptedError ? stop.hint : undefined) ??
    (committed.length > 0
      ? "Run again to finish: what is already on the Hub is neither sent nor committed twice"
      : undefined);
  const cause = stop instanceof InterruptedError && stop.cause !== undefined ? stop.cause : stop;
  if (error instanceof PartialUploadError) {
    return new PartialUploadError(message, {
      cause,
      landed: error.landed,
      exitCode: ExitCode.Interrupted,
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return new InterruptedError(message, {
    ...(cause === undefined ? {} : { cause }),
    ...(hint === undefined ? {} : { hint }),
    commitInFlight: inFlight,
  });
}
