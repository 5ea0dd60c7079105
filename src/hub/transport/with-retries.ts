import { HubError, ProcessArtifactsError } from "../../errors.js";
import { describeEndpoint } from "../../util/describe-endpoint.js";
import { errorCode } from "../../util/error-code.js";
import { requestUrl } from "../../util/request-url.js";
import { serverDelayMs } from "./server-delay-ms.js";

/** Statuses worth another try: timeouts, rate limits and server-side failures (as huggingface_hub's http_backoff). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Time as the retry loop sees it; tests pass a fake one so waits cost nothing and can be asserted. */
export interface Clock {
  /** Milliseconds since the epoch (for Retry-After given as an HTTP date). */
  now(): number;
  /** Waits, waking early with the abort reason when the signal fires. */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubled each retry, ±50 % jitter. */
  baseDelayMs: number;
  /** Cap on one backoff. */
  maxDelayMs: number;
  /** The longest server-requested wait (Retry-After, RateLimit) we honour; a longer one ends the request with a clear error. */
  maxServerWaitMs: number;
  random: () => number;
  clock: Clock;
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

/** One failed attempt, as the `beforeRetry` hook sees it: a retryable answer, or a thrown error. */
export interface RetryFailure {
  url: string;
  method: string;
  /** 0 for the first attempt. */
  attempt: number;
  response: Response | undefined;
  error: unknown;
}

export interface RetryHooks {
  signal?: AbortSignal | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
  tracker?: RetryTracker | undefined;
  /** The Hub's base URL, so messages show its endpoints as short paths. */
  hubUrl?: string | undefined;
  /**
   * Called after every retryable failure, before deciding to wait and retry or give up. A Response
   * it returns becomes the answer and ends the loop: the commit uses it to look whether a commit
   * whose answer was lost has in fact landed, so it is never sent twice.
   */
  beforeRetry?: ((failure: RetryFailure) => Promise<Response | undefined>) | undefined;
}

/** A user abort, or an error of ours (a file that changed, a refused redirect) that another try cannot fix. */
function isFinal(error: unknown, signals: ReadonlyArray<AbortSignal | null | undefined>): boolean {
  return error instanceof ProcessArtifactsError || signals.some((signal) => signal?.aborted === true);
}

/**
 * The one retry loop, for every request the tool sends (the commit included, through its hook):
 * retryable statuses, dropped connections and timeouts are tried again with exponential backoff and
 * jitter, honouring the wait the server asks for. A server asking for longer than the policy allows
 * ends the request at once with a line saying so. A user abort is never retried.
 */
export function withRetries(send: typeof fetch, policy: RetryPolicy, hooks: RetryHooks = {}): typeof fetch {
  const hubOrigin = hooks.hubUrl === undefined ? undefined : new URL(hooks.hubUrl).origin;
  const retrying = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = requestUrl(input);
    const method = (init?.method ?? "GET").toUpperCase();
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await send(input, init);
        if (!RETRYABLE_STATUSES.has(response.status)) {
          return response;
        }
      } catch (error) {
        if (isFinal(error, [hooks.signal, init?.signal])) {
          throw error;
        }
        failure = error;
      }
      const settled = await hooks.beforeRetry?.({ url, method, attempt, response, error: failure });
      if (settled !== undefined) {
        return settled;
      }
      const serverWait = response === undefined ? undefined : serverDelayMs(response.headers, policy.clock.now());
      if (serverWait !== undefined && serverWait.ms > policy.maxServerWaitMs) {
        if (hooks.tracker) {
          hooks.tracker.gaveUp = { url, attempts: attempt + 1 };
        }
        const requestId = response?.headers.get("x-request-id") ?? undefined;
        throw new HubError(
          `The Hub asked to wait ${Math.ceil(serverWait.ms / 1000)} s (${serverWait.header}) before retrying ${describeEndpoint(method, url, hubOrigin)}, longer than the ${Math.round(policy.maxServerWaitMs / 1000)} s this tool waits`,
          {
            hint: "Run again later (files already on the Hub are not sent twice)",
            ...(response === undefined ? {} : { statusCode: response.status }),
            ...(requestId === undefined ? {} : { requestId }),
          },
        );
      }
      if (attempt >= policy.maxRetries) {
        if (hooks.tracker) {
          hooks.tracker.gaveUp = { url, attempts: attempt + 1 };
        }
        if (response !== undefined) {
          return response;
        }
        throw failure;
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt) * (0.5 + policy.random());
      const delayMs = serverWait?.ms ?? backoff;
      // Drain the failed response so its connection can be reused.
      await response?.arrayBuffer().catch(() => undefined);
      const reason = response !== undefined ? `HTTP ${response.status}` : (errorCode(failure) ?? String(failure));
      hooks.onRetry?.({ url, method, attempt: attempt + 1, of: policy.maxRetries, delayMs, reason });
      await policy.clock.sleep(delayMs, hooks.signal);
    }
  };
  return retrying;
}
