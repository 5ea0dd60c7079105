import { commitIter, createRepo, HubApiError, listFiles, whoAmI } from "@huggingface/hub";
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
import type { RemoteFile } from "./diff-against-remote.js";
import { SourceBlob } from "./source-blob.js";

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : text;
  } catch {
    return text;
  }
}

export interface UploadFile {
  pathInRepo: string;
  abs: string;
  size: number;
}

export type UploadEvent =
  | { type: "phase"; phase: "creating-repo" | "preuploading" | "hashing" | "uploading" | "committing" }
  | { type: "file"; path: string; state: "hashing" | "uploading"; progress: number };

export interface CommitOutcome {
  commit: { oid: string; url: string };
  /** sha256 of every file the commit sent through LFS, by repo path (read from the commit request itself). */
  lfsOids: Map<string, string>;
}

export interface RemoteState {
  /** The head commit of main, undefined for a repo without commits. */
  head: string | undefined;
  files: Map<string, RemoteFile>;
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
  /** The repo's head commit and files on main, or undefined when the repo does not exist. */
  remoteState(repoId: string): Promise<RemoteState | undefined>;
  /** Creates the repo; an existing one (409) is fine. */
  ensureRepo(repoId: string, options: { private: boolean }): Promise<{ created: boolean; url: string }>;
  /**
   * Publishes the files in one commit. With `parentCommit`, the Hub refuses the commit if main
   * moved meanwhile, so two uploads can never interleave.
   */
  commit(params: {
    repoId: string;
    files: readonly UploadFile[];
    title: string;
    description: string;
    parentCommit: string | undefined;
    onEvent?: (event: UploadEvent) => void;
  }): Promise<CommitOutcome>;
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

    async remoteState(repoId) {
      const accessToken = assertAllowed();
      try {
        const response = await hubFetch(`${hubUrl}/api/models/${repoId}/revision/main`, {
          headers: { Authorization: `Bearer ${accessToken}` },
        });
        if (response.status === 404) {
          await response.text().catch(() => "");
          return undefined;
        }
        if (!response.ok) {
          throw new HubApiError(
            response.url,
            response.status,
            response.headers.get("x-request-id") ?? undefined,
            await errorText(response),
          );
        }
        const info = (await response.json()) as { sha?: unknown };
        const files = new Map<string, RemoteFile>();
        for await (const entry of listFiles({
          repo: { type: "model", name: repoId },
          recursive: true,
          accessToken,
          hubUrl,
          fetch: hubFetch,
        })) {
          if (entry.type === "file") {
            files.set(entry.path, { size: entry.size, oid: entry.oid ?? "", lfsSha256: entry.lfs?.oid });
          }
        }
        return { head: typeof info.sha === "string" ? info.sha : undefined, files };
      } catch (error) {
        throw translate(error, `reading the current state of ${repoId}`);
      }
    },

    async ensureRepo(repoId, options) {
      const accessToken = assertAllowed();
      try {
        const result = await createRepo({
          repo: { type: "model", name: repoId },
          accessToken,
          hubUrl,
          fetch: hubFetch,
          visibility: options.private ? "private" : "public",
        });
        return { created: true, url: result.repoUrl || `${hubUrl}/${repoId}` };
      } catch (error) {
        if (error instanceof HubApiError && error.statusCode === 409) {
          return { created: false, url: `${hubUrl}/${repoId}` };
        }
        const translated = translate(error, `creating the repo ${repoId}`);
        if (error instanceof HubApiError && error.statusCode === 400) {
          throw new UsageError(`The Hub refused the repo name ${repoId}: ${translated.message}`, {
            hint: "Repo names may use letters, digits, '-', '_' and '.', up to 96 characters",
            cause: error,
          });
        }
        throw translated;
      }
    },

    async commit({ repoId, files, title, description, parentCommit, onEvent }) {
      const accessToken = assertAllowed();
      const lfsOids = new Map<string, string>();
      // The commit request lists the sha256 the client computed for every LFS file: recording it
      // here is what lets the next run skip hashing unchanged files.
      const recordingFetch = ((input: string | URL | Request, init?: RequestInit) => {
        if (
          init?.method === "POST" &&
          typeof init.body === "string" &&
          (typeof input === "string" ? input : input instanceof URL ? input.href : input.url).includes("/commit/")
        ) {
          for (const line of init.body.split("\n")) {
            const parsed = JSON.parse(line) as { key?: string; value?: { path?: string; oid?: string } };
            if (parsed.key === "lfsFile" && parsed.value?.path && parsed.value.oid) {
              lfsOids.set(parsed.value.path, parsed.value.oid);
            }
          }
        }
        return hubFetch(input, init);
      }) as typeof fetch;
      try {
        const iterator = commitIter({
          repo: { type: "model", name: repoId },
          accessToken,
          hubUrl,
          fetch: recordingFetch,
          title,
          description,
          useXet: false,
          ...(parentCommit === undefined ? {} : { parentCommit }),
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
        return { commit: { oid: output.commit.oid, url: output.commit.url }, lfsOids };
      } catch (error) {
        throw translate(error, `uploading to ${repoId}`);
      }
    },
  };
}
