import { describe, expect, it } from "vitest";
import { HubError } from "../../errors.js";
import { serverDelayMs } from "./server-delay-ms.js";
import { withRetries, type RetryInfo, type RetryPolicy } from "./with-retries.js";

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy & { slept: number[] } => {
  const slept: number[] = [];
  return {
    maxRetries: 3,
    baseDelayMs: 100,
    maxDelayMs: 800,
    maxServerWaitMs: 10_000,
    random: () => 0.5,
    clock: {
      now: () => 0,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    },
    slept,
    ...overrides,
  };
};

function scripted(...outcomes: Array<number | Error>): typeof fetch & { calls: number } {
  let calls = 0;
  const fake = ((): Promise<Response> => {
    const outcome = outcomes[Math.min(calls, outcomes.length - 1)];
    calls++;
    fake.calls = calls;
    return outcome instanceof Error
      ? Promise.reject(outcome)
      : Promise.resolve(new Response(`status ${outcome}`, { status: outcome }));
  }) as unknown as typeof fetch & { calls: number };
  fake.calls = 0;
  return fake;
}

describe("serverDelayMs", () => {
  it("reads Retry-After in seconds or as a date, and RateLimit when no requests remain", () => {
    expect(serverDelayMs(new Headers({ "retry-after": "3" }), 0)).toEqual({ ms: 3000, header: "Retry-After" });
    expect(serverDelayMs(new Headers({ "retry-after": new Date(10_000).toUTCString() }), 4000)).toEqual({
      ms: 6000,
      header: "Retry-After",
    });
    expect(serverDelayMs(new Headers({ ratelimit: '"api";r=0;t=55' }), 0)).toEqual({ ms: 55_000, header: "RateLimit" });
    expect(serverDelayMs(new Headers({ ratelimit: '"api";r=12;t=55' }), 0)).toBeUndefined();
    expect(serverDelayMs(new Headers({ "retry-after": "soon" }), 0)).toBeUndefined();
  });
});

describe("withRetries", () => {
  it("retries 5xx, 429 and dropped connections with doubling backoff, then succeeds", async () => {
    const p = policy();
    const send = scripted(
      503,
      429,
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
      }),
      200,
    );
    const seen: RetryInfo[] = [];
    const response = await withRetries(send, p, { onRetry: (info) => seen.push(info) })("https://hub.test/x");
    expect(response.status).toBe(200);
    expect(send.calls).toBe(4);
    expect(p.slept).toEqual([100, 200, 400]);
    expect(seen.map((info) => info.reason)).toEqual(["HTTP 503", "HTTP 429", "ECONNRESET"]);
  });

  it("does not retry other statuses", async () => {
    const send = scripted(404);
    expect((await withRetries(send, policy())("https://hub.test/x")).status).toBe(404);
    expect(send.calls).toBe(1);
  });

  it("gives up after the budget and returns the last answer with its body", async () => {
    const tracker = { gaveUp: undefined as { url: string; attempts: number } | undefined };
    const send = scripted(500);
    const response = await withRetries(send, policy(), { tracker })("https://hub.test/y");
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("status 500");
    expect(send.calls).toBe(4);
    expect(tracker.gaveUp).toEqual({ url: "https://hub.test/y", attempts: 4 });
  });

  it("honours the server's wait, and ends with a clear line when it asks for more than the limit", async () => {
    const p = policy({ maxServerWaitMs: 5000 });
    let calls = 0;
    const send = (() => {
      calls++;
      return Promise.resolve(new Response("", { status: 429, headers: { "retry-after": calls === 1 ? "2" : "3600" } }));
    }) as typeof fetch;
    const error = await withRetries(send, p, { hubUrl: "https://hub.test" })(
      "https://hub.test/api/models/a/b/commit/main",
      {
        method: "POST",
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).message).toBe(
      "The Hub asked to wait 3600 s (Retry-After) before retrying POST /api/models/a/b/commit/main, longer than the 5 s this tool waits",
    );
    expect((error as HubError).hint).toMatch(/^Run again later/);
    expect(p.slept).toEqual([2000]);
    expect(calls).toBe(2);
  });

  it("never retries after a user abort", async () => {
    const controller = new AbortController();
    controller.abort();
    const send = scripted(new DOMException("aborted", "AbortError"));
    await expect(withRetries(send, policy(), { signal: controller.signal })("https://hub.test/x")).rejects.toThrow(
      "aborted",
    );
    expect(send.calls).toBe(1);
  });
});
