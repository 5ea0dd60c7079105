import { ExitCode } from "./exit-codes.js";

/**
 * Every error we expect to happen carries its exit code and, where we know one, a fix.
 * Anything else reaching the entry point is a bug and is reported as such.
 */
export abstract class ProcessArtifactsError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

export class UsageError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Usage;
}

/** A config problem; `problems` lists every one found, each naming the key and the file. */
export class ConfigError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Usage;
  readonly problems: readonly string[];

  constructor(message: string, options?: { hint?: string; cause?: unknown; problems?: readonly string[] }) {
    super(message, options);
    this.problems = options?.problems ?? [];
  }
}

export class NoRunFoundError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.NoRun;
  /** Entries passed over and why; printed with --verbose unless `showDetails`. */
  readonly details: readonly string[];
  readonly showDetails: boolean;
  /** The incomplete runs seen, each with what it lacks (for --json). */
  readonly incompleteRuns: ReadonlyArray<{ name: string; problems: readonly RunIssue[] }>;

  constructor(
    message: string,
    options?: {
      hint?: string;
      cause?: unknown;
      details?: readonly string[];
      showDetails?: boolean;
      incompleteRuns?: ReadonlyArray<{ name: string; problems: readonly RunIssue[] }>;
    },
  ) {
    super(message, options);
    this.details = options?.details ?? [];
    this.showDetails = options?.showDetails ?? false;
    this.incompleteRuns = options?.incompleteRuns ?? [];
  }
}

export interface RunIssue {
  /** Path relative to the run folder ("" for the folder itself). */
  file: string;
  /** The line of `file` the problem is on, where one is known (a secret in a text file). */
  line?: number;
  message: string;
}

/** Every problem found in a run, reported together so one fix-up round is enough. */
export class ValidationError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.InvalidRun;
  readonly issues: readonly RunIssue[];
  /** Each issue's message is a sentence that names its file (what an incomplete run lacks). */
  readonly sentences: boolean = false;

  constructor(message: string, issues: readonly RunIssue[], options?: { hint?: string }) {
    super(message, options);
    this.issues = issues;
  }
}

/**
 * A run that is still being written (or was left unfinished): each issue names the file and says, in a
 * sentence of its own, what it lacks.
 */
export class IncompleteRunError extends ValidationError {
  override readonly sentences = true;
}

export class AuthError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Auth;
}

/** The Hub answered with an error, or could not be reached. */
export class HubError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Failure;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown; statusCode?: number; requestId?: string }) {
    super(message, options);
    this.statusCode = options?.statusCode;
    this.requestId = options?.requestId;
  }
}

/** Local I/O failed while staging (disk full, unreadable file, ...). */
export class StagingError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Failure;
}

export class InterruptedError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Interrupted;
  /** Interrupted while a commit was on its way: the message says whether it landed, as far as we know. */
  readonly commitInFlight: boolean;

  constructor(message: string, options?: { hint?: string; cause?: unknown; commitInFlight?: boolean }) {
    super(message, options);
    this.commitInFlight = options?.commitInFlight ?? false;
  }
}

/**
 * The upload was refused by the test-environment guard. The command turns it into a "blocked"
 * result; it only reaches the entry point if a caller bypasses the command, and then still exits 0
 * as the guard's contract says.
 */
export class UploadBlockedError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Ok;
}

/** Another process is uploading the same run right now. */
export class BusyError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Failure;
}

/**
 * A run publishes two repos (training data first, then the model); the second failed after the
 * first landed. The message says exactly what landed; the exit code is the failure's.
 */
export class PartialUploadError extends ProcessArtifactsError {
  readonly exitCode: ExitCode;
  /** What landed before the failure, e.g. the dataset repo's URL and commit. */
  readonly landed: ReadonlyArray<{ repoId: string; url: string; commit: string | undefined }>;

  constructor(
    message: string,
    options: { cause: unknown; hint?: string; landed: PartialUploadError["landed"]; exitCode: ExitCode },
  ) {
    super(message, options);
    this.exitCode = options.exitCode;
    this.landed = options.landed;
  }
}

/**
 * A file's bytes are not the ones that were checked: it was rewritten, truncated, replaced or
 * removed between hashing (or validation) and the end of its upload. Nothing is committed.
 */
export class FileChangedError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Failure;
  /** The repo path (or the local path) of the file. */
  readonly file: string;

  constructor(file: string, options?: { cause?: unknown }) {
    super(`${file} changed while it was being uploaded`, {
      hint: "re-run when training has finished writing",
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.file = file;
  }
}

/** A local file could not be opened or read during the upload (permissions, too many open files, ...). */
export class LocalFileError extends ProcessArtifactsError {
  readonly exitCode = ExitCode.Failure;
  readonly path: string | undefined;
  readonly code: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown; path?: string; code?: string }) {
    super(message, options);
    this.path = options?.path;
    this.code = options?.code;
  }
}
