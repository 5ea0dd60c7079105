import { AuthError, HubError, InterruptedError, LocalFileError, ProcessArtifactsError } from "../errors.js";
import { errorCode } from "../util/error-code.js";
import { toLocalFileError } from "../util/to-local-file-error.js";
import type { NamespaceSource } from "./hub-client.js";
import type { RetryTracker } from "./transport/with-retries.js";

/** What a 403 asks the user to change: the setting that chose the namespace, never one that played no part. */
const FORBIDDEN_HINT: Record<NamespaceSource, string> = {
  "--repo": "Use a token with write access to that repo's namespace, or give --repo a repo you can write to",
  "huggingface.repo_id":
    "Use a token with write access to that repo's namespace, or set huggingface.repo_id to a repo you can write to",
  prefix: "Use a token with write access to that namespace, or set huggingface.repo_prefix to one you can write to",
};

/** The shape of @huggingface/hub's HubApiError (its class stays inside create-hub-client.ts). */
interface HttpError extends Error {
  statusCode: number;
  requestId?: string | undefined;
}

/** Codes a local file operation raises; a socket does not report them with a path. */
const LOCAL_CODES = new Set([
  "EMFILE",
  "ENFILE",
  "ENOENT",
  "EACCES",
  "EPERM",
  "EISDIR",
  "ENOTDIR",
  "ELOOP",
  "EROFS",
  "EIO",
]);

/** The errno error in the cause chain that names a local file (or ran out of file descriptors), if any. */
function localCause(error: unknown): NodeJS.ErrnoException | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const { code, path } = current as NodeJS.ErrnoException;
    if (
      typeof code === "string" &&
      LOCAL_CODES.has(code) &&
      (typeof path === "string" || code === "EMFILE" || code === "ENFILE")
    ) {
      return current;
    }
    current = current.cause;
  }
  return undefined;
}

/** Our own per-attempt time limit (create-hub-fetch), anywhere in the cause chain. */
function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current.name === "TimeoutError") {
      return true;
    }
    current = current.cause;
  }
  return false;
}

function isHttpError(error: unknown): error is HttpError {
  return error instanceof Error && typeof (error as Partial<HttpError>).statusCode === "number";
}

/**
 * Turns whatever the Hub client threw into one of our errors with a message a user can act on:
 * what failed, the HTTP status and request id, how many attempts were made, and what to do.
 */
export function translateHubError(
  error: unknown,
  context: {
    action: string;
    hubUrl: string;
    aborted: boolean;
    tracker: RetryTracker;
    namespaceSource?: NamespaceSource;
  },
): ProcessArtifactsError {
  const { action, hubUrl } = context;
  if (error instanceof ProcessArtifactsError) {
    return error;
  }
  if (context.aborted || (error instanceof Error && error.name === "AbortError")) {
    // Whether anything was committed before is for the entry point to say: it saw every commit land.
    return new InterruptedError(`Interrupted while ${action}`, { cause: error });
  }
  const attempts =
    context.tracker.gaveUp === undefined ? "" : ` (gave up after ${context.tracker.gaveUp.attempts} attempts)`;
  if (isHttpError(error)) {
    const requestId = error.requestId === undefined ? "" : ` [request id ${error.requestId}]`;
    const serverMessage = error.message.split(". URL: ")[0] ?? error.message;
    const detail = `${serverMessage}${requestId}`;
    if (error.statusCode === 401) {
      return new AuthError(`The Hub rejected the token (401) while ${action}: ${detail}`, {
        hint: "The token is invalid, expired or revoked; create a new one with write access and set HF_TOKEN",
        cause: error,
      });
    }
    if (error.statusCode === 403) {
      return new AuthError(`The token is not allowed to do this (403) while ${action}: ${detail}`, {
        hint: FORBIDDEN_HINT[context.namespaceSource ?? "prefix"],
        cause: error,
      });
    }
    if (error.statusCode === 412) {
      return new HubError(`The repo changed while ${action} (412): ${detail}`, {
        hint: "Someone else committed to it meanwhile; run again to upload on top of their commit",
        cause: error,
        statusCode: 412,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      });
    }
    return new HubError(`The Hub answered ${error.statusCode} while ${action}${attempts}: ${detail}`, {
      hint:
        error.statusCode >= 500 || error.statusCode === 429 || error.statusCode === 408
          ? "The Hub is busy or failing; run again later (files already on the Hub are not sent twice)"
          : undefined,
      cause: error,
      statusCode: error.statusCode,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    });
  }
  const local = localCause(error);
  if (local !== undefined) {
    if (local.path === undefined) {
      return new LocalFileError(`Too many open files while ${action} (${local.code ?? "EMFILE"})`, {
        hint: "Raise the limit (ulimit -n) and run again",
        cause: error,
        ...(local.code === undefined ? {} : { code: local.code }),
      });
    }
    return toLocalFileError(local, { path: local.path });
  }
  if (isTimeout(error)) {
    return new HubError(
      `The Hub at ${hubUrl} did not answer in time while ${action}${attempts}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: "Check your network connection and HF_ENDPOINT, then run again; PROCESS_ARTIFACTS_TIMEOUT_MS sets the limit",
        cause: error,
      },
    );
  }
  const code = errorCode(error);
  if (code !== undefined || (error instanceof TypeError && error.message === "fetch failed")) {
    return new HubError(`Could not reach the Hub at ${hubUrl} while ${action}${attempts}: ${code ?? "network error"}`, {
      hint: "Check your network connection and HF_ENDPOINT, then run again (files already on the Hub are not sent twice)",
      cause: error,
    });
  }
  return new HubError(`Upload failed while ${action}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
