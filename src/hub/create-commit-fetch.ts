import { errorCode } from "../util/error-code.js";
import { requestUrl } from "../util/request-url.js";
import { commitLanded, type CommitOperationLine } from "./commit-landed.js";
import type { RemoteFile } from "./diff-against-remote.js";
import { RETRYABLE_STATUSES, type RetryInfo, type RetryPolicy, type RetryTracker } from "./with-retries.js";

export interface CommitFetchParams {
  /** Sends one request, no retries. */
  send: typeof fetch;
  /** Everything that is not the commit POST goes here (the retrying fetch). */
  other: typeof fetch;
  policy: RetryPolicy;
  signal: AbortSignal | undefined;
  tracker: RetryTracker;
  onRetry: ((info: RetryInfo) => void) | undefined;
  /** The repo's head and tree right now, undefined if the repo is gone. */
  readRemote: () => Promise<{ head: string | undefined; files: Map<string, RemoteFile> } | undefined>;
  /** Receives the commit's operations once, from the request body (for the hash cache). */
  onOperations: (operations: CommitOperationLine[]) => void;
  commitUrl: (oid: string) => string;
}

/**
 * The commit POST is the one request that must never be blindly repeated: if the first try landed
 * and only its answer was lost, a second would make a duplicate commit. So after a retryable
 * failure we first look at the repo: if main moved and its tree holds exactly our files, the commit
 * landed and we answer as the Hub would have; if main did not move, nothing landed and we retry.
 * (With a parent commit, the Hub itself also refuses a commit on a moved main.)
 */
export function createCommitFetch(params: CommitFetchParams): typeof fetch {
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
    const parent = lines[0]?.key === "header" ? lines[0].value.parentCommit : undefined;
    const operations = lines.filter((line) => line.key !== "header");
    params.onOperations(operations);

    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await params.send(input, init);
        if (!RETRYABLE_STATUSES.has(response.status)) {
          return response;
        }
      } catch (error) {
        if (params.signal?.aborted) {
          throw error;
        }
        failure = error;
      }
      const body = response === undefined ? undefined : await response.text().catch(() => "");
      const remote = await params.readRemote();
      if (remote?.head !== undefined && remote.head !== parent && commitLanded(operations, remote.files)) {
        return new Response(
          JSON.stringify({ success: true, commitOid: remote.head, commitUrl: params.commitUrl(remote.head) }),
          {
            status: 200,
            headers: { "content-type": "application/json" },
          },
        );
      }
      if (attempt >= params.policy.maxRetries) {
        params.tracker.gaveUp = { url, attempts: attempt + 1 };
        if (response !== undefined) {
          return new Response(body, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
        }
        throw failure;
      }
      const delayMs =
        Math.min(params.policy.maxDelayMs, params.policy.baseDelayMs * 2 ** attempt) * (0.5 + params.policy.random());
      params.onRetry?.({
        url,
        method: "POST",
        attempt: attempt + 1,
        of: params.policy.maxRetries,
        delayMs,
        reason: response !== undefined ? `HTTP ${response.status}` : (errorCode(failure) ?? String(failure)),
      });
      await params.policy.sleep(delayMs, params.signal);
    }
  };
  return commitFetch;
}
