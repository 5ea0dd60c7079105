import { commitIter, createRepo, HubApiError, whoAmI } from "@huggingface/hub";
import {
  AuthError,
  HubError,
  InterruptedError,
  ProcessArtifactsError,
  UploadBlockedError,
  UsageError,
} from "../errors.js";
import { checkUploadGuard } from "./check-upload-guard.js";
import { createHubFetch } from "./create-hub-fetch.js";
import { SourceBlob } from "./source-blob.js";

export interface UploadFile {
  pathInRepo: string;
  abs: string;
  size: number;
}

export type UploadEvent =
  | { type: "phase"; phase: "creating-repo" | "preuploading" | "hashing" | "uploading" | "committing" }
  | { type: "file"; path: string; state: "hashing" | "uploading"; progress: number };

export interface UploadOutcome {
  repoId: string;
  repoUrl: string;
  created: boolean;
  commit: { oid: string; url: string };
}

export interface HubClient {
  readonly hubUrl: string;
  /** The token owner's user name. */
  whoAmI(): Promise<string>;
  /**
   * Asks the Hub whether it accepts a README's metadata (POST /api/validate-yaml, as huggingface_hub
   * does before an upload), so a bad card fails in seconds rather than after the weights are sent.
   */
  validateModelCard(readme: string): Promise<CardVerdict>;
  /** Creates the repo if needed, then publishes every file in one commit. */
  upload(params: {
    repoId: string;
    private: boolean;
    files: readonly UploadFile[];
    title: string;
    description: string;
    onEvent?: (event: UploadEvent) => void;
  }): Promise<UploadOutcome>;
}

export type CardVerdict =
  | { status: "accepted"; warnings: string[] }
  | { status: "rejected"; message: string }
  | { status: "unavailable"; message: string };

export interface HubClientParams {
  hubUrl: string;
  /** Needed by every call; may be undefined only when the guard will refuse anyway. */
  token: string | undefined;
  testSignals: readonly string[];
  /** Base fetch for non-streamed requests; the global fetch when omitted. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string") {
      return code;
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * The only module that talks to @huggingface/hub. Every method checks the test-environment guard
 * first, so no caller (CLI, test, script) can reach the production Hub from a test runner.
 */
export function createHubClient(params: HubClientParams): HubClient {
  const { hubUrl, token, signal } = params;
  const hubFetch = createHubFetch({
    ...(params.fetch === undefined ? {} : { baseFetch: params.fetch }),
    ...(signal === undefined ? {} : { signal }),
  });

  const assertAllowed = (): string => {
    const guard = checkUploadGuard({ hubUrl, testSignals: params.testSignals });
    if (!guard.allowed) {
      throw new UploadBlockedError(`Upload blocked: ${guard.reason}`);
    }
    if (token === undefined) {
      throw new AuthError("No Hugging Face token was given to the Hub client");
    }
    return token;
  };

  const translate = (error: unknown, action: string): ProcessArtifactsError => {
    if (error instanceof ProcessArtifactsError) {
      return error;
    }
    if (signal?.aborted || (error instanceof Error && error.name === "AbortError")) {
      return new InterruptedError(`Interrupted while ${action}`, { cause: error });
    }
    if (error instanceof HubApiError) {
      const requestId = error.requestId === undefined ? "" : ` [request id ${error.requestId}]`;
      const serverMessage = error.message.split(". URL: ")[0] ?? error.message;
      const detail = `${serverMessage}${requestId}`;
      const options = {
        cause: error,
        statusCode: error.statusCode,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      };
      if (error.statusCode === 401) {
        return new AuthError(`The Hub rejected the token (401) while ${action}: ${detail}`, {
          hint: "The token is invalid, expired or revoked; create a new one with write access and set HF_TOKEN",
          cause: error,
        });
      }
      if (error.statusCode === 403) {
        return new AuthError(`The token is not allowed to do this (403) while ${action}: ${detail}`, {
          hint: "Use a token with write access to that namespace, or set huggingface.repo_prefix to one you can write to",
          cause: error,
        });
      }
      return new HubError(`The Hub answered ${error.statusCode} while ${action}: ${detail}`, {
        ...options,
        hint:
          error.statusCode >= 500 || error.statusCode === 429
            ? "The Hub is busy or failing; try again later"
            : undefined,
      });
    }
    const code = networkCode(error);
    if (code !== undefined || (error instanceof TypeError && error.message === "fetch failed")) {
      return new HubError(`Could not reach the Hub at ${hubUrl} while ${action}: ${code ?? "network error"}`, {
        hint: "Check your network connection and HF_ENDPOINT",
        cause: error,
      });
    }
    return new HubError(`Upload failed while ${action}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  };

  return {
    hubUrl,

    async whoAmI() {
      const accessToken = assertAllowed();
      try {
        const info = await whoAmI({ accessToken, hubUrl, fetch: hubFetch });
        return info.name;
      } catch (error) {
        throw translate(error, "checking the token (whoami)");
      }
    },

    async validateModelCard(readme) {
      const accessToken = assertAllowed();
      let response: Response;
      try {
        response = await hubFetch(`${hubUrl}/api/validate-yaml`, {
          method: "POST",
          headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ content: readme, repoType: "model" }),
        });
      } catch (error) {
        if (signal?.aborted) {
          throw translate(error, "checking the model card");
        }
        return { status: "unavailable", message: translate(error, "checking the model card").message };
      }
      const body = (await response.json().catch(() => ({}))) as { error?: unknown; warnings?: unknown };
      if (response.ok) {
        const warnings = Array.isArray(body.warnings)
          ? body.warnings.map((warning) => (typeof warning === "string" ? warning : JSON.stringify(warning)))
          : [];
        return { status: "accepted", warnings };
      }
      if (response.status === 400 || response.status === 422) {
        return { status: "rejected", message: typeof body.error === "string" ? body.error : `HTTP ${response.status}` };
      }
      return { status: "unavailable", message: `the Hub answered ${response.status}` };
    },

    async upload({ repoId, private: isPrivate, files, title, description, onEvent }) {
      const accessToken = assertAllowed();
      let created = false;
      let repoUrl = `${hubUrl}/${repoId}`;
      onEvent?.({ type: "phase", phase: "creating-repo" });
      try {
        const result = await createRepo({
          repo: { type: "model", name: repoId },
          accessToken,
          hubUrl,
          fetch: hubFetch,
          visibility: isPrivate ? "private" : "public",
        });
        created = true;
        repoUrl = result.repoUrl || repoUrl;
      } catch (error) {
        if (!(error instanceof HubApiError && error.statusCode === 409)) {
          const translated = translate(error, `creating the repo ${repoId}`);
          if (error instanceof HubApiError && error.statusCode === 400) {
            throw new UsageError(`The Hub refused the repo name ${repoId}: ${translated.message}`, {
              hint: "Repo names may use letters, digits, '-', '_' and '.', up to 96 characters",
              cause: error,
            });
          }
          throw translated;
        }
      }

      try {
        const iterator = commitIter({
          repo: { type: "model", name: repoId },
          accessToken,
          hubUrl,
          fetch: hubFetch,
          title,
          description,
          useXet: false,
          ...(signal === undefined ? {} : { abortSignal: signal }),
          operations: files.map((file) => ({
            operation: "addOrUpdate" as const,
            path: file.pathInRepo,
            content: new SourceBlob(file.abs, 0, file.size),
          })),
        });
        let step = await iterator.next();
        while (!step.done) {
          const event = step.value;
          if (event.event === "phase") {
            onEvent?.({
              type: "phase",
              phase:
                event.phase === "preuploading"
                  ? "preuploading"
                  : event.phase === "uploadingLargeFiles"
                    ? "uploading"
                    : "committing",
            });
          } else if (event.state !== "error") {
            onEvent?.({ type: "file", path: event.path, state: event.state, progress: event.progress });
          }
          step = await iterator.next();
        }
        const output = step.value;
        if (output === undefined) {
          throw new HubError("The Hub did not return a commit for the upload");
        }
        return { repoId, repoUrl, created, commit: { oid: output.commit.oid, url: output.commit.url } };
      } catch (error) {
        throw translate(error, `uploading to ${repoId}`);
      }
    },
  };
}
