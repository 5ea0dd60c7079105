import { commitIter, createRepo, HubApiError, listFiles, whoAmI } from "@huggingface/hub";
import { AuthError, HubError, UploadBlockedError, UsageError } from "../errors.js";
import { abortableSleep } from "../util/abortable-sleep.js";
import { checkUploadGuard } from "./check-upload-guard.js";
import { createCommitFetch } from "./create-commit-fetch.js";
import { createHubFetch } from "./create-hub-fetch.js";
import { translateHubError } from "./translate-hub-error.js";
import { withRetries, type Clock, type RetryInfo, type RetryPolicy, type RetryTracker } from "./with-retries.js";
import type { RemoteFile } from "./diff-against-remote.js";
import { SourceBlob } from "./source-blob.js";
import type { FileIdentity } from "../util/file-identity.js";
import { mapLimit } from "../util/map-limit.js";

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
  size: number;
  /**
   * On disk (streamed from there), or in memory (small generated files). A file's `identity` is
   * the file as it was hashed or validated: one that differs by upload time is refused (FileChangedError).
   */
  content: { type: "file"; abs: string; identity?: FileIdentity | undefined } | { type: "bytes"; bytes: Uint8Array };
}

/** A repo on the Hub: its type decides every URL (`/api/models/…`, `/api/datasets/…`). */
export interface HubRepo {
  type: "model" | "dataset";
  id: string;
}

export type UploadEvent =
  | { type: "phase"; phase: "creating-repo" | "preuploading" | "hashing" | "uploading" | "committing" }
  | {
      type: "file";
      path: string;
      state: "hashing" | "uploading";
      progress: number;
      /** Bytes of this file hashed or sent so far; with totalBytes, progress shows bytes, rate and ETA. */
      bytes?: number;
      /** The file's size. */
      totalBytes?: number;
    }
  | ({ type: "retry" } & RetryInfo);

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
  validateCard(readme: string, repoType: HubRepo["type"]): Promise<CardVerdict>;
  /** The repo's head commit and files on main, or undefined when the repo does not exist. */
  remoteState(repo: HubRepo): Promise<RemoteState | undefined>;
  /** Creates the repo; an existing one (409) is fine. */
  ensureRepo(repo: HubRepo, options: { private: boolean }): Promise<{ created: boolean; url: string }>;
  /** The repo's web URL: `<hub>/<id>` for models, `<hub>/datasets/<id>` for datasets. */
  repoUrl(repo: HubRepo): string;
  /**
   * Publishes the files in one commit. With `parentCommit`, the Hub refuses the commit if main
   * moved meanwhile, so two uploads can never interleave.
   */
  commit(params: {
    repo: HubRepo;
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
  network?: { maxRetries: number; retryBaseMs: number; timeoutMs: number };
  /** Told about every retry (the CLI prints them: an unattended run's log should show a flaky network). */
  onRetry?: (info: RetryInfo) => void;
  /** Jitter source; tests pass a seeded one. */
  random?: () => number;
  /** Time for retry waits; tests pass a fake one. */
  clock?: Clock;
}

/**
 * The only module that talks to @huggingface/hub. Every method checks the test-environment guard
 * first, so no caller (CLI, test, script) can reach the production Hub from a test runner.
 */
export function createHubClient(params: HubClientParams): HubClient {
  const { hubUrl, token, signal } = params;
  const network = params.network ?? { maxRetries: 5, retryBaseMs: 1000, timeoutMs: 120_000 };
  const send = createHubFetch({
    ...(params.fetch === undefined ? {} : { baseFetch: params.fetch }),
    ...(signal === undefined ? {} : { signal }),
    timeoutMs: network.timeoutMs,
    hubUrl,
  });
  const policy: RetryPolicy = {
    maxRetries: network.maxRetries,
    baseDelayMs: network.retryBaseMs,
    maxDelayMs: Math.max(network.retryBaseMs * 8, 1),
    maxServerWaitMs: 5 * 60 * 1000,
    random: params.random ?? Math.random,
    clock: params.clock ?? { now: () => Date.now(), sleep: abortableSleep },
  };
  const tracker: RetryTracker = { gaveUp: undefined };
  const hubFetch = withRetries(send, policy, { signal, onRetry: params.onRetry, tracker, hubUrl });

  /** The first line of every method: the guard, the token, and a fresh retry record for its messages. */
  const assertAllowed = (): string => {
    tracker.gaveUp = undefined;
    const guard = checkUploadGuard({ hubUrl, testSignals: params.testSignals });
    if (!guard.allowed) {
      throw new UploadBlockedError(`Upload blocked: ${guard.reason}`);
    }
    if (token === undefined) {
      throw new AuthError("No Hugging Face token was given to the Hub client");
    }
    return token;
  };

  const translate = (error: unknown, action: string): ReturnType<typeof translateHubError> =>
    translateHubError(error, { action, hubUrl, aborted: signal?.aborted === true, tracker });

  const repoUrl = (repo: HubRepo): string => `${hubUrl}/${repo.type === "dataset" ? "datasets/" : ""}${repo.id}`;
  const readRemote = async (repo: HubRepo, accessToken: string): Promise<RemoteState | undefined> => {
    const response = await hubFetch(`${hubUrl}/api/${repo.type}s/${repo.id}/revision/main`, {
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
      repo: { type: repo.type, name: repo.id },
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

    repoUrl,

    async validateCard(readme, repoType) {
      const accessToken = assertAllowed();
      let response: Response;
      try {
        response = await hubFetch(`${hubUrl}/api/validate-yaml`, {
          method: "POST",
          headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ content: readme, repoType }),
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

    async remoteState(repo) {
      const accessToken = assertAllowed();
      try {
        return await readRemote(repo, accessToken);
      } catch (error) {
        throw translate(error, `reading the current state of ${repo.id}`);
      }
    },

    async ensureRepo(repo, options) {
      const accessToken = assertAllowed();
      const repoId = repo.id;
      try {
        const result = await createRepo({
          repo: { type: repo.type, name: repoId },
          accessToken,
          hubUrl,
          fetch: hubFetch,
          visibility: options.private ? "private" : "public",
        });
        return { created: true, url: result.repoUrl || repoUrl(repo) };
      } catch (error) {
        if (error instanceof HubApiError && error.statusCode === 409) {
          return { created: false, url: repoUrl(repo) };
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

    async commit({ repo, files, title, description, parentCommit, onEvent }) {
      const repoId = repo.id;
      const accessToken = assertAllowed();
      const lfsOids = new Map<string, string>();
      // The commit request lists the sha256 the client computed for every LFS file: recording it
      // is what lets the next run skip hashing unchanged files.
      const commitFetch = createCommitFetch({
        send,
        other: hubFetch,
        policy,
        signal,
        tracker,
        onRetry: params.onRetry,
        hubUrl,
        readRemote: () => readRemote(repo, accessToken),
        onOperations: (operations) => {
          for (const { key, value } of operations) {
            if (key === "lfsFile" && value.path !== undefined && value.oid !== undefined) {
              lfsOids.set(value.path, value.oid);
            }
          }
        },
        commitUrl: (oid) => `${repoUrl(repo)}/commit/${oid}`,
      });
      try {
        // Identity is taken here (or checked against the caller's), so every read proves it reads that file.
        const blobs = await mapLimit(files, 16, (file) =>
          file.content.type === "file"
            ? SourceBlob.forFile(file.content.abs, {
                label: file.pathInRepo,
                size: file.size,
                expected: file.content.identity,
              })
            : Promise.resolve(new Blob([file.content.bytes as Uint8Array<ArrayBuffer>])),
        );
        const iterator = commitIter({
          repo: { type: repo.type, name: repoId },
          accessToken,
          hubUrl,
          fetch: commitFetch,
          title,
          description,
          useXet: false,
          ...(parentCommit === undefined ? {} : { parentCommit }),
          ...(signal === undefined ? {} : { abortSignal: signal }),
          operations: files.map((file, index) => ({
            operation: "addOrUpdate" as const,
            path: file.pathInRepo,
            content: blobs[index] as Blob,
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
