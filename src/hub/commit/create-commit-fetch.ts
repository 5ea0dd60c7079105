import { requestUrl } from "../../util/request-url.js";
import { commitLanded, type CommitOperationLine } from "./commit-landed.js";
import type { RemoteFile } from "../diff-against-remote.js";
import { withRetries, type RetryInfo, type RetryPolicy, type RetryTracker } from "../transport/with-retries.js";

/** The commit as we sent it, read back from the request body. */
export interface SentCommit {
  operations: CommitOperationLine[];
  /** The head the commit was sent on top of, when the client named one. */
  parentCommit: string | undefined;
}

export interface CommitFetchParams {
  /** Sends one request, no retries. */
  send: typeof fetch;
  /** Everything that is not the commit POST goes here (the retrying fetch). */
  other: typeof fetch;
  policy: RetryPolicy;
  signal: AbortSignal | undefined;
  tracker: RetryTracker;
  onRetry: ((info: RetryInfo) => void) | undefined;
  hubUrl?: string | undefined;
  /** The repo's head and tree right now, undefined if the repo is gone. */
  readRemote: () => Promise<{ head: string | undefined; files: Map<string, RemoteFile> } | undefined>;
  /** Receives the commit's operations once, from the request body (for the hash cache). */
  onOperations: (operations: CommitOperationLine[]) => void;
  commitUrl: (oid: string) => string;
  /**
   * After a failure that hides whether the commit landed: the commit that proves it did (and the pull
   * request it opened, if it opened one), or undefined to retry. Defaults to `landedByTree`: main
   * moved and its tree holds exactly our files.
   */
  landed?: (commit: SentCommit) => Promise<{ oid: string; pullRequestUrl?: string } | undefined>;
}

/** The default "did it land?" check: main moved off our parent and its tree holds exactly our files. */
async function landedByTree(
  params: CommitFetchParams,
  commit: SentCommit,
): Promise<{ oid: string; pullRequestUrl?: string } | undefined> {
  const remote = await params.readRemote();
  return remote?.head !== undefined &&
    remote.head !== commit.parentCommit &&
    commitLanded(commit.operations, remote.files)
    ? { oid: remote.head }
    : undefined;
}

/**
 * The commit POST is the one request that must never be blindly repeated: if the first try landed
 * and only its answer was lost, a second would make a duplicate commit. It goes through the same
 * retry loop as every other request (same backoff, same respect for Retry-After), with a hook
 * that, after each failure, first asks whether it landed; if it did, we answer as the Hub would
 * have. (With a parent commit, the Hub itself also refuses a commit on a moved main.)
 */
export function createCommitFetch(params: CommitFetchParams): typeof fetch {
  const landed = params.landed ?? ((commit: SentCommit) => landedByTree(params, commit));
  const commitFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = requestUrl(input);
    if (
      init?.method !== "POST" ||
      !/\/api\/(?:models|datasets)\/.+\/commit\//.test(url) ||
      typeof init.body !== "string"
    ) {
      return params.other(input, init);
    }
    const lines = init.body
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as CommitOperationLine & { value: { parentCommit?: string } });
    const parentCommit = lines[0]?.key === "header" ? lines[0].value.parentCommit : undefined;
    const operations = lines.filter((line) => line.key !== "header");
    params.onOperations(operations);

    const once = withRetries(params.send, params.policy, {
      signal: params.signal,
      onRetry: params.onRetry,
      tracker: params.tracker,
      hubUrl: params.hubUrl,
      beforeRetry: async () => {
        const found = await landed({ operations, parentCommit });
        return found === undefined
          ? undefined
          : new Response(
              JSON.stringify({
                success: true,
                commitOid: found.oid,
                commitUrl: params.commitUrl(found.oid),
                ...(found.pullRequestUrl === undefined ? {} : { pullRequestUrl: found.pullRequestUrl }),
              }),
              { status: 200, headers: { "content-type": "application/json" } },
            );
      },
    });
    return once(input, init);
  };
  return commitFetch;
}
