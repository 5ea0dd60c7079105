import { errorCode } from "../util/error-code.js";
import { requestUrl } from "../util/request-url.js";
import { serverDelayMs } from "./server-delay-ms.js";

/** Statuses worth another try: timeouts, rate limits and server-side failures (as huggingface_hub's http_backoff). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubled each retry, ±50 % jitter. */
  baseDelayMs: number;
  /** Cap on one backoff. */
  maxDelayMs: number;
  /** The longest server-requested wait (Retry-After) we honour; a longer one ends the retries. */
  maxServerWaitMs: number;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

export interface RetryInfo {
  url: string;
  method: string;
  attempt: number;
  of: number;
  delayMs: number;
  reason: string;
}

export interface RetryTracker {
  /** The last request that failed after all its retries, for error messages. */
  gaveUp: { url: string; attempts: number } | undefined;
}

/**
 * Wraps a fetch so that retryable failures (the statuses above, dropped connections, timeouts) are
 * tried again with exponential backoff and jitter, honouring the server's requested wait. Only for
 * requests that are safe to repeat; the commit has its own, stricter rule (see create-hub-client).
 * A user abort is never retried.
 */
export function withRetries(
  send: typeof fetch,
  policy: RetryPolicy,
  hooks: { signal?: AbortSignal | undefined; onRetry?: (info: RetryInfo) => void; tracker?: RetryTracker } = {},
): typeof fetch {
  const retrying = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = requestUrl(input);
    const method = init?.method ?? "GET";
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await send(input, init);
        if (!RETRYABLE_STATUSES.has(response.status)) {
          return response;
        }
      } catch (error) {
        if (hooks.signal?.aborted || init?.signal?.aborted) {
          throw error;
        }
        failure = error;
      }
      const serverWait = response === undefined ? undefined : serverDelayMs(response.headers, Date.now());
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt) * (0.5 + policy.random());
      const delayMs = serverWait ?? backoff;
      if (attempt >= policy.maxRetries || delayMs > policy.maxServerWaitMs) {
        if (hooks.tracker) {
          hooks.tracker.gaveUp = { url, attempts: attempt + 1 };
        }
        if (response !== undefined) {
          return response;
        }
        throw failure;
      }
      // Drain the failed response so its connection can be reused.
      await response?.arrayBuffer().catch(() => undefined);
      const reason = response !== undefined ? `HTTP ${response.status}` : (errorCode(failure) ?? String(failure));
      hooks.onRetry?.({ url, method, attempt: attempt + 1, of: policy.maxRetries, delayMs, reason });
      await policy.sleep(delayMs, hooks.signal);
    }
  };
  return retrying;
}
