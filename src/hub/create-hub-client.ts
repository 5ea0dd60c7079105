import { createRepo, deleteRepo, HubApiError, whoAmI } from "@huggingface/hub";
import { randomBytes } from "node:crypto";
import {
  AuthError,
  FileChangedError,
  HubError,
  InterruptedError,
  PartialUploadError,
  UploadBlockedError,
  UsageError,
} from "../errors.js";
import { abortableSleep } from "../util/abortable-sleep.js";
import { fileIdentity } from "../util/file-identity.js";
import { mapLimit } from "../util/map-limit.js";
import { sameIdentity } from "../util/same-identity.js";
import { apiPath } from "./rest/api-path.js";
import { checkUploadGuard } from "./guard/check-upload-guard.js";
import { commitLanded, type CommitOperationLine } from "./commit/commit-landed.js";
import { createBranch } from "./rest/create-branch.js";
import { createCommitFetch, type SentCommit } from "./commit/create-commit-fetch.js";
import { createHubFetch } from "./transport/create-hub-fetch.js";
import { createTag } from "./rest/create-tag.js";
import type { RemoteFile } from "./diff-against-remote.js";
import { buildCommitBody } from "./commit/build-commit-body.js";
import type { HubCall } from "./transport/hub-call.js";
import type { Gated, HubClient, HubClientParams, HubRepo, RemoteState } from "./hub-client.js";
import { findLandedPullRequest } from "./rest/find-landed-pull-request.js";
import { httpStatusErrorFrom } from "./transport/http-status-error-from.js";
import { listCommits } from "./rest/list-commits.js";
import { listPullRequests } from "./rest/list-pull-requests.js";
import { listTree } from "./rest/list-tree.js";
import { readLastCommits } from "./rest/read-last-commits.js";
import { readRefs } from "./rest/read-refs.js";
import { SourceBlob } from "./transport/source-blob.js";
import { translateHubError } from "./translate-hub-error.js";
import { updateRepoSettings } from "./rest/update-repo-settings.js";
import { uploadCommitFiles } from "./commit/upload-commit-files.js";
import { readTrailer, UPLOAD_TRAILER } from "./commit/upload-trailer.js";
import { withAnswerCheck } from "./transport/with-answer-check.js";
import { withRetries, type RetryPolicy, type RetryTracker } from "./transport/with-retries.js";

export type * from "./hub-client.js";

/** How long the check after an interrupted commit may take: Ctrl-C must not feel ignored. */
const INTERRUPT_CHECK_MS = 5000;

/** Reads a revision's head and (optionally) its files. undefined: no such repo. */
async function readRemote(
  call: HubCall,
  repo: HubRepo,
  revision: string,
  withFiles: boolean,
): Promise<RemoteState | undefined> {
  // The tree is asked for at the same time as the head: one round trip instead of two. If a commit
  // lands in between, our commit's parent (the head) no longer matches and the Hub refuses it.
  const tree = withFiles ? listTree(call, repo, revision) : Promise.resolve(new Map<string, RemoteFile>());
  tree.catch(() => undefined);
  const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "revision", revision)}`, {
    headers: { Authorization: `Bearer ${call.accessToken}` },
  });
  if (response.status === 404) {
    const code = response.headers.get("x-error-code");
    await response.arrayBuffer().catch(() => undefined);
    if (code === "RevisionNotFound") {
      return { head: undefined, revisionExists: false, files: new Map(), private: undefined, gated: undefined };
    }
    return undefined;
  }
  if (!response.ok) {
    throw await httpStatusErrorFrom(response);
  }
  const info = (await response.json()) as { sha?: string | null; private?: unknown; gated?: unknown };
  return {
    head: typeof info.sha === "string" ? info.sha : undefined,
    revisionExists: true,
    files: typeof info.sha === "string" ? await tree : new Map<string, RemoteFile>(),
    private: typeof info.private === "boolean" ? info.private : undefined,
    gated: info.gated === "auto" || info.gated === "manual" || info.gated === false ? info.gated : undefined,
  };
}

/**
 * The only module that talks to @huggingface/hub. Every method checks the test-environment guard
 * first, so no caller (CLI, test, script) can reach the production Hub from a test runner. Every
 * answer it relies on is checked against the protocol before use (withAnswerCheck).
 */
export function createHubClient(params: HubClientParams): HubClient {
  const { hubUrl, token, signal } = params;
  const network = params.network ?? { maxRetries: 5, retryBaseMs: 1000, timeoutMs: 120_000 };
  const send = withAnswerCheck(
    createHubFetch({
      ...(params.fetch === undefined ? {} : { baseFetch: params.fetch }),
      ...(signal === undefined ? {} : { signal }),
      timeoutMs: network.timeoutMs,
      hubUrl,
    }),
    hubUrl,
  );
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
  const repoUrl = (repo: HubRepo): string => `${hubUrl}/${repo.type === "dataset" ? "datasets/" : ""}${repo.id}`;

  /** The first line of every method: the guard, the token, and a fresh retry record for its messages. */
  const allowed = (): HubCall => {
    tracker.gaveUp = undefined;
    const guard = checkUploadGuard({ hubUrl, testSignals: params.testSignals });
    if (!guard.allowed) {
      throw new UploadBlockedError(`Upload blocked: ${guard.reason}`);
    }
    if (token === undefined) {
      throw new AuthError("No Hugging Face token was given to the Hub client");
    }
    return { hubUrl, accessToken: token, fetch: hubFetch };
  };
  const translate = (error: unknown, action: string): ReturnType<typeof translateHubError> =>
    translateHubError(error, {
      action,
      hubUrl,
      aborted: signal?.aborted === true,
      tracker,
      namespaceSource: params.namespaceSource ?? "prefix",
    });
  const guarded = async <T>(action: string, run: (call: HubCall) => Promise<T>): Promise<T> => {
    const call = allowed();
    try {
      return await run(call);
    } catch (error) {
      throw translate(error, action);
    }
  };

  /** After a commit whose answer was lost: the commit that proves it landed (ours by its trailer), if any. */
  const landedCommit = async (
    call: HubCall,
    repo: HubRepo,
    branch: string,
    nonce: string,
    sent: SentCommit,
  ): Promise<string | undefined> => {
    const remote = await readRemote(call, repo, branch, true);
    if (
      remote?.head === undefined ||
      remote.head === sent.parentCommit ||
      !commitLanded(sent.operations, remote.files)
    ) {
      return undefined;
    }
    const [head] = await listCommits(call, repo, branch);
    return head?.oid === remote.head && readTrailer(head.message, UPLOAD_TRAILER) === nonce ? remote.head : undefined;
  };

  return {
    hubUrl,
    repoUrl,

    whoAmI: () => guarded("checking the token (whoami)", async (call) => (await whoAmI({ ...call })).name),

    async validateCard(readme, repoType) {
      const call = allowed();
      let response: Response;
      try {
        response = await call.fetch(`${hubUrl}/api/validate-yaml`, {
          method: "POST",
          headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ content: readme, repoType }),
        });
      } catch (error) {
        if (signal?.aborted) {
          throw translate(error, "checking the card");
        }
        return { status: "unavailable", message: translate(error, "checking the card").message };
      }
      const text = await response.text().catch(() => "");
      let body: { error?: unknown; errors?: unknown; warnings?: unknown } | undefined;
      try {
        const parsed = JSON.parse(text) as unknown;
        body = parsed !== null && typeof parsed === "object" ? parsed : undefined;
      } catch {
        body = undefined;
      }
      if (body === undefined) {
        // An HTML page (a proxy, a login wall) says nothing about the card: we could not check it.
        return {
          status: "unavailable",
          message: response.ok
            ? `the Hub answered ${response.status} without a JSON verdict`
            : `the Hub answered ${response.status}`,
        };
      }
      // The Hub lists warnings and errors as {message} objects.
      const messages = (list: unknown): string[] =>
        Array.isArray(list)
          ? list.map((item: unknown) => {
              const message = (item as { message?: unknown } | null)?.message;
              return typeof item === "string" ? item : typeof message === "string" ? message : JSON.stringify(item);
            })
          : [];
      if (response.ok) {
        return { status: "accepted", warnings: messages(body.warnings) };
      }
      if (response.status === 400 || response.status === 422) {
        const [first] = messages(body.errors);
        const message = first ?? (typeof body.error === "string" ? body.error : `HTTP ${response.status}`);
        return { status: "rejected", message };
      }
      return { status: "unavailable", message: `the Hub answered ${response.status}` };
    },

    remoteState: (repo, revision = "main") =>
      guarded(`reading the current state of ${repo.id}`, (call) => readRemote(call, repo, revision, true)),

    async ensureRepo(repo, options) {
      const call = allowed();
      try {
        const result = await createRepo({
          repo: { type: repo.type, name: repo.id },
          ...call,
          visibility: options.private ? "private" : "public",
        });
        return { created: true, url: result.repoUrl || repoUrl(repo) };
      } catch (error) {
        if (error instanceof HubApiError && error.statusCode === 409) {
          return { created: false, url: repoUrl(repo) };
        }
        const translated = translate(error, `creating the repo ${repo.id}`);
        if (error instanceof HubApiError && error.statusCode === 400) {
          throw new UsageError(`The Hub refused the repo name ${repo.id}: ${translated.message}`, {
            hint: "Repo names may use letters, digits, '-', '_' and '.', up to 96 characters",
            cause: error,
          });
        }
        throw translated;
      }
    },

    deleteRepo: (repo) =>
      guarded(`deleting the repo ${repo.id}`, (call) =>
        deleteRepo({ repo: { type: repo.type, name: repo.id }, ...call }),
      ),

    refs: (repo) => guarded(`listing the tags and branches of ${repo.id}`, (call) => readRefs(call, repo)),
    commits: (repo, revision) =>
      guarded(`reading the history of ${repo.id}`, (call) => listCommits(call, repo, revision)),
    lastCommits: (repo, revision, paths) =>
      guarded(`reading who last changed files of ${repo.id}`, (call) => readLastCommits(call, repo, revision, paths)),
    pullRequests: (repo) =>
      guarded(`listing the pull requests of ${repo.id}`, async (call) =>
        (await listPullRequests(call, repo)).map((pr) => ({
          ...pr,
          revision: `refs/pr/${pr.num}`,
          url: `${repoUrl(repo)}/discussions/${pr.num}`,
        })),
      ),
    createBranch: (repo, branch, from) =>
      guarded(`creating the branch ${branch} of ${repo.id}`, (call) => createBranch(call, repo, branch, from)),
    createTag: (repo, tag, revision, message) =>
      guarded(`tagging ${repo.id} as ${tag}`, (call) => createTag(call, repo, tag, revision, message)),
    updateSettings: (repo, settings: { private?: boolean; gated?: Gated }) =>
      guarded(`changing the settings of ${repo.id}`, (call) => updateRepoSettings(call, repo, settings)),

    async commit({
      repo,
      branch = "main",
      createPr = false,
      files,
      deletions = [],
      title,
      description,
      parentCommit,
      onEvent,
      dedupHints,
    }) {
      const call = allowed();
      const nonce = randomBytes(12).toString("hex");
      const message = `${description}\n\n${UPLOAD_TRAILER}: ${nonce}`;
      let operations: CommitOperationLine[] = [];
      /** Where the commit request stands: an interruption once it is sent may have landed. */
      let commitState: "not-sent" | "sent" | "answered" = "not-sent";
      /** The pull request the commit opened, once its answer says so. */
      let opened: { url: string; oid: string } | undefined;
      const commitFetch = createCommitFetch({
        send,
        other: hubFetch,
        policy,
        signal,
        tracker,
        onRetry: params.onRetry,
        hubUrl,
        readRemote: () => readRemote(call, repo, branch, true),
        onOperations: (sent) => {
          operations = sent;
        },
        commitUrl: (oid) => `${repoUrl(repo)}/commit/${oid}`,
        // A pull request is recognised by the nonce in its head commit: retrying blindly could open a second one.
        landed: createPr
          ? () => findLandedPullRequest(call, repo, title, nonce, repoUrl(repo))
          : async (sent) => {
              const oid = await landedCommit(call, repo, branch, nonce, sent);
              return oid === undefined ? undefined : { oid };
            },
      });
      let checkUnchanged: () => Promise<void> = () => Promise.resolve();
      try {
        // Identity is taken here (or checked against the caller's), so every read proves it reads that file.
        const blobs = await mapLimit(files, 16, (file) =>
          file.content.type === "file"
            ? SourceBlob.forFile(file.content.abs, {
                label: file.pathInRepo,
                size: file.size,
                ...(file.content.identity === undefined ? {} : { expected: file.content.identity }),
              })
            : Promise.resolve(new Blob([file.content.bytes as Uint8Array<ArrayBuffer>])),
        );
        const sources = files.flatMap((file, index) => {
          const blob = blobs[index];
          if (blob instanceof SourceBlob) {
            return [{ label: blob.label, abs: blob.path, identity: blob.identity }];
          }
          const from = file.content.type === "bytes" ? file.content.from : undefined;
          return from === undefined ? [] : [{ label: file.pathInRepo, ...from }];
        });
        /** Throws FileChangedError when any file sent (or copied from) differs from when it was read. */
        checkUnchanged = async (): Promise<void> => {
          const changed = await mapLimit(sources, 32, async (source) => {
            const now = await fileIdentity(source.abs).catch(() => undefined);
            return now === undefined || !sameIdentity(now, source.identity) ? source : undefined;
          });
          const first = changed.find((source) => source !== undefined);
          if (first !== undefined) {
            throw new FileChangedError(first.label, {
              cause: new Error(`${first.abs}: size, times or inode changed after it was read`),
            });
          }
        };
        const { lines, storage, xetProbes } = await uploadCommitFiles(call, {
          repo,
          branch,
          isPullRequest: createPr,
          files: files.map((file, index) => {
            const blob = blobs[index] as Blob;
            return {
              path: file.pathInRepo,
              content: blob,
              abs: blob instanceof SourceBlob ? blob.path : undefined,
              sha256: file.sha256,
            };
          }),
          signal,
          onEvent,
          xet: params.xet !== false,
          testSignals: params.testSignals,
          dedupHints,
        });
        onEvent?.({ type: "phase", phase: "committing" });
        // The last moment to notice a file that changed after it was read: nothing is committed then.
        await checkUnchanged();
        const body = buildCommitBody({ title, description: message, parentCommit, files: lines, deletions });
        commitState = "sent";
        const response = await commitFetch(
          `${hubUrl}/api/${repo.type}s/${repo.id}/commit/${encodeURIComponent(branch)}${createPr ? "?create_pr=1" : ""}`,
          {
            method: "POST",
            headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/x-ndjson" },
            body,
            ...(signal === undefined ? {} : { signal }),
          },
        );
        commitState = "answered";
        if (!response.ok) {
          throw await httpStatusErrorFrom(response);
        }
        // Its commitOid and commitUrl were checked by withAnswerCheck.
        const answer = (await response.json()) as { commitOid: string; commitUrl: string; pullRequestUrl?: unknown };
        const output = { commit: { oid: answer.commitOid, url: answer.commitUrl } };
        const pullRequestUrl = typeof answer.pullRequestUrl === "string" ? answer.pullRequestUrl : undefined;
        const pullRequest =
          pullRequestUrl === undefined
            ? undefined
            : { url: pullRequestUrl, revision: `refs/pr/${pullRequestUrl.split("/").pop() ?? ""}` };
        opened = pullRequest === undefined ? undefined : { url: pullRequest.url, oid: output.commit.oid };
        // Proof, not faith: the branch (or the pull request) must now hold this commit and our files.
        const proof = await readRemote(call, repo, pullRequest?.revision ?? branch, true);
        if (proof?.head !== output.commit.oid || !commitLanded(operations, proof.files)) {
          throw new HubError(
            `The Hub answered the commit with ${output.commit.oid}, but ${pullRequest?.revision ?? branch} of ${repo.id} ${
              proof?.head === undefined ? "has no commit" : `is at ${proof.head}`
            }${proof?.head === output.commit.oid ? " without all of our files" : ""}`,
            { hint: "Nothing is reported as uploaded; run again (files already on the Hub are not sent twice)" },
          );
        }
        onEvent?.({ type: "committed", repoId: repo.id, oid: output.commit.oid });
        const lfsOids = new Map(lines.flatMap((line) => ("lfs" in line ? [[line.path, line.lfs.oid] as const] : [])));
        return { commit: output.commit, pullRequest, lfsOids, storage, xetProbes };
      } catch (error) {
        if (signal?.aborted) {
          // Answered is not proven: an interruption while the answer was read or checked looks too.
          throw await interrupted(
            commitState !== "not-sent",
            { repo, branch, nonce, parentCommit, pullRequestTitle: createPr ? title : undefined },
            (oid) => onEvent?.({ type: "committed", repoId: repo.id, oid }),
          );
        }
        // A file that changed while it was sent makes the storage refuse it (wrong length or hash):
        // the file is the cause to report, not the server's answer.
        const local =
          commitState === "not-sent" && !(error instanceof FileChangedError)
            ? await checkUnchanged().then(
                () => undefined,
                (cause: unknown) => cause,
              )
            : undefined;
        const translated = translate(local ?? error, `uploading to ${repo.id}`);
        if (opened !== undefined) {
          // The pull request exists whatever failed after it was opened: say so, so it is never left unreported.
          throw new PartialUploadError(`Opened the pull request ${opened.url}, but ${translated.message}`, {
            cause: translated,
            hint: "Run again: it finds the open pull request and reports it instead of opening another",
            landed: [{ repoId: repo.id, url: opened.url, commit: opened.oid }],
            exitCode: translated.exitCode,
          });
        }
        throw translated;
      }
    },
  };

  /**
   * What to say after Ctrl-C: before the commit was sent, that it was not sent; once it was, it may
   * have landed, so look (briefly, on a fresh connection) and say which.
   */
  async function interrupted(
    sent: boolean,
    commit: {
      repo: HubRepo;
      branch: string;
      nonce: string;
      parentCommit: string | undefined;
      /** Set when the commit opens a pull request (titled as the commit). */
      pullRequestTitle: string | undefined;
    },
    onLanded: (oid: string) => void,
  ): Promise<InterruptedError> {
    const { repo, branch, nonce, parentCommit, pullRequestTitle } = commit;
    if (!sent) {
      return new InterruptedError(`Interrupted while uploading to ${repo.id}, before its commit was sent`);
    }
    const quick: HubCall = {
      hubUrl,
      accessToken: token ?? "",
      fetch: withAnswerCheck(
        createHubFetch({
          ...(params.fetch === undefined ? {} : { baseFetch: params.fetch }),
          timeoutMs: INTERRUPT_CHECK_MS,
          hubUrl,
        }),
        hubUrl,
      ),
    };
    try {
      if (pullRequestTitle !== undefined) {
        const opened = await findLandedPullRequest(quick, repo, pullRequestTitle, nonce, repoUrl(repo));
        if (opened !== undefined) {
          onLanded(opened.oid);
          return new InterruptedError(
            `Interrupted, but the pull request to ${repo.id} had already been opened (${opened.pullRequestUrl})`,
            {
              hint: "Run again to finish anything left (it reports the pull request as already open)",
              commitInFlight: true,
            },
          );
        }
        return new InterruptedError(
          `Interrupted while the pull request to ${repo.id} was being opened; it had not been opened when checked`,
          { hint: "If it opens after all, a re-run reports it as already open", commitInFlight: true },
        );
      }
      const [head] = await listCommits(quick, repo, branch);
      if (head !== undefined && readTrailer(head.message, UPLOAD_TRAILER) === nonce) {
        onLanded(head.oid);
        return new InterruptedError(`Interrupted, but the commit to ${repo.id} had already landed (${head.oid})`, {
          hint: "Run again to finish anything left (it reports what is already up to date)",
          commitInFlight: true,
        });
      }
      // With no parent declared (a repo created for this upload, never read), its head is the Hub's initial
      // commit or another's: whether the branch moved cannot be told, so it is not claimed.
      const moved = parentCommit !== undefined && head?.oid !== parentCommit;
      return new InterruptedError(
        `Interrupted while the commit to ${repo.id} was being sent; it had not landed when checked${moved ? " (the branch moved, but not by this upload)" : ""}`,
        { hint: "If it lands after all, a re-run reports the repo as already up to date", commitInFlight: true },
      );
    } catch {
      return new InterruptedError(`Interrupted while the commit to ${repo.id} was being sent; it may have landed`, {
        hint: "Run again: a re-run tells (an upload that landed is reported as already up to date)",
        commitInFlight: true,
      });
    }
  }
}
