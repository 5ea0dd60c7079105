import { describe, expect, it, onTestFinished } from "vitest";
import { createTripwire } from "./create-tripwire.js";
import { HttpStatusError } from "./http-status-error.js";

const HUB = "https://hub.test";
const COMMIT = `${HUB}/api/models/alice/run/commit/main`;
const BATCH = `${HUB}/alice/run.git/info/lfs/objects/batch`;
const PART = "https://storage.test/part?n=3";

type Answer = Response | Error | ((input: RequestInfo | URL, init?: RequestInit) => Response);

/** The network boundary: answers each request in turn and records it. */
function fakeFetch(...answers: Answer[]): typeof globalThis.fetch & { calls: string[] } {
  const calls: string[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push(`${init?.method ?? "GET"} ${input instanceof Request ? input.url : String(input)}`);
    const answer = answers.shift() ?? new Response("{}");
    if (answer instanceof Error) {
      return Promise.reject(answer);
    }
    return Promise.resolve(typeof answer === "function" ? answer(input, init) : answer);
  };
  return Object.assign(fetch, { calls });
}

/** Whether a promise has settled once everything already queued has run. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

const json = (value: unknown, headers: Record<string, string> = {}, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });

describe("createTripwire", () => {
  it("hands good answers through, and tracks where the commit stands", async () => {
    const wire = createTripwire(undefined);
    const order: string[] = [];
    const fetch = fakeFetch(json({ files: [] }), () => {
      order.push(`sent ${wire.commit}`);
      return json({ commitOid: "a".repeat(40) });
    });
    const guarded = wire.guard(fetch, {
      beforeCommit: () => {
        order.push(`before ${wire.commit}`);
        return Promise.resolve();
      },
    });

    const preupload = await guarded(`${HUB}/api/models/alice/run/preupload/main`, { method: "POST" });
    expect(await preupload.json()).toEqual({ files: [] });
    expect(wire.commit).toBe("not-sent");
    expect(order).toEqual([]);

    const commit = await guarded(COMMIT, { method: "post" });
    expect(await commit.json()).toEqual({ commitOid: "a".repeat(40) });
    expect(order).toEqual(["before not-sent", "sent sent"]);
    expect(wire.commit).toBe("answered");
    expect(await settles(wire.tripped)).toBe(false);
  });

  it.each<[string, string | URL, string | undefined, boolean]>([
    ["a GET of the commit URL", COMMIT, "GET", false],
    ["a request without a method", COMMIT, undefined, false],
    ["a POST elsewhere", `${HUB}/api/models/alice/run/preupload/main`, "POST", false],
    ["a dataset's commit, as a URL", new URL(`${HUB}/api/datasets/alice/data/commit/main`), "POST", true],
  ])("%s (a commit: %s)", async (_name, input, method, isCommit) => {
    const wire = createTripwire(undefined);
    let before = 0;
    const guarded = wire.guard(fakeFetch(json({})), { beforeCommit: () => Promise.resolve(void before++) });
    await guarded(input, method === undefined ? undefined : { method });
    expect(before).toBe(isCommit ? 1 : 0);
    expect(wire.commit).toBe(isCommit ? "answered" : "not-sent");
  });

  it("commits nothing when beforeCommit throws, and trips with its error", async () => {
    const wire = createTripwire(undefined);
    const fetch = fakeFetch();
    const changed = new Error("a run file changed");
    const call = wire.guard(fetch, { beforeCommit: () => Promise.reject(changed) })(COMMIT, { method: "POST" });
    await expect(wire.tripped).rejects.toBe(changed);
    expect(fetch.calls).toEqual([]);
    expect(wire.commit).toBe("not-sent");
    expect(await settles(call)).toBe(false);
  });

  it("a commit request that fails on the way may have landed: it stays sent", async () => {
    const wire = createTripwire(undefined);
    const reset = new TypeError("fetch failed");
    const call = wire.guard(fakeFetch(reset))(COMMIT, { method: "POST" });
    await expect(wire.tripped).rejects.toBe(reset);
    expect(wire.commit).toBe("sent");
    expect(await settles(call)).toBe(false);
  });

  it.each<[string, string, RequestInit, Response, HttpStatusError]>([
    [
      "an error status",
      COMMIT,
      { method: "POST" },
      json({ error: "Repository not found" }, { "x-request-id": "req-1" }, 404),
      new HttpStatusError(404, "Repository not found", "req-1"),
    ],
    [
      "an LFS object the Hub refused",
      BATCH,
      { method: "POST" },
      json(
        { objects: [{ oid: "o1" }, { oid: "o2", error: { code: 413, message: "too big" } }] },
        { "x-request-id": "r" },
      ),
      new HttpStatusError(413, "the Hub refused LFS object o2: too big", "r"),
    ],
    [
      "an LFS object refused without details",
      BATCH,
      { method: "POST" },
      json({ objects: [{ oid: "o3", error: {} }] }),
      new HttpStatusError(422, "the Hub refused LFS object o3: no reason given"),
    ],
    [
      "an uploaded part without an ETag",
      PART,
      { method: "PUT", progressHint: { part: 2 } } as RequestInit,
      new Response(null, { status: 200 }),
      new HttpStatusError(502, "the storage server accepted part 3 without an ETag"),
    ],
    [
      "the first part without an ETag",
      PART,
      { method: "PUT", progressHint: { part: 0 } } as RequestInit,
      new Response(null, { status: 200 }),
      new HttpStatusError(502, "the storage server accepted part 1 without an ETag"),
    ],
    [
      "a lower-case put part without an ETag",
      PART,
      { method: "put", progressHint: { part: 0 } } as RequestInit,
      new Response(null, { status: 200 }),
      new HttpStatusError(502, "the storage server accepted part 1 without an ETag"),
    ],
  ])("trips on %s and never answers the library", async (_name, url, init, answer, expected) => {
    const wire = createTripwire(undefined);
    const call = wire.guard(fakeFetch(answer))(url, init);
    const error: unknown = await wire.tripped.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({
      statusCode: expected.statusCode,
      message: expected.message,
      requestId: expected.requestId,
    });
    expect(await settles(call)).toBe(false);
  });

  it.each<[string, string, RequestInit, Response]>([
    ["an LFS batch with no refusal", BATCH, { method: "POST" }, json({ objects: [{ oid: "o1", actions: {} }] })],
    [
      "a part with its ETag",
      PART,
      { method: "PUT", progressHint: { part: 2 } } as RequestInit,
      new Response(null, { headers: { etag: '"e"' } }),
    ],
    ["a PUT that is not a part", PART, { method: "PUT" }, new Response(null)],
    [
      "an answer from below the batch path",
      `${BATCH}/verify`,
      { method: "POST" },
      json({ objects: [{ oid: "o1", error: { code: 404, message: "not found" } }] }),
    ],
    ["a POST with a part hint", PART, { method: "POST", progressHint: { part: 2 } } as RequestInit, new Response(null)],
  ])("passes %s", async (_name, url, init, answer) => {
    const wire = createTripwire(undefined);
    const response = await wire.guard(fakeFetch(answer))(url, init);
    expect(response).toBe(answer);
    // The library still reads the body the tripwire looked into.
    expect(response.bodyUsed).toBe(false);
    expect(await settles(wire.tripped)).toBe(false);
  });

  const REFUSED = (): Response => json({ error: "wrong length" }, {}, 403);
  const RESET = new TypeError("fetch failed");
  const CHANGED = new Error("a run file changed");
  it.each<[string, string, Answer, "changed" | "ok" | "none", "changed" | "status" | "reset"]>([
    ["a refused PUT of a file that changed", "PUT", REFUSED(), "changed", "changed"],
    ["a refused PUT of a file that did not change", "PUT", REFUSED(), "ok", "status"],
    ["a refused PUT without explainFailure", "PUT", REFUSED(), "none", "status"],
    ["a refused POST: the file is not asked", "POST", REFUSED(), "changed", "status"],
    ["a failed request of a file that changed", "PUT", RESET, "changed", "changed"],
    ["a failed request of a file that did not change", "POST", RESET, "ok", "reset"],
    ["a failed request without explainFailure", "PUT", RESET, "none", "reset"],
  ])("trips on %s with the right cause", async (_name, method, answer, explain, expected) => {
    const wire = createTripwire(undefined);
    const explainFailure =
      explain === "none" ? undefined : () => (explain === "changed" ? Promise.reject(CHANGED) : Promise.resolve());
    const call = wire.guard(fakeFetch(answer), explainFailure === undefined ? {} : { explainFailure })(PART, {
      method,
    });
    const error: unknown = await wire.tripped.catch((caught: unknown) => caught);
    if (expected === "status") {
      expect(error).toBeInstanceOf(HttpStatusError);
      expect(error).toMatchObject({ statusCode: 403, message: "wrong length" });
    } else {
      expect(error).toBe(expected === "changed" ? CHANGED : RESET);
    }
    expect(await settles(call)).toBe(false);
  });

  it("keeps the first failure and sends nothing after it", async () => {
    const wire = createTripwire(undefined);
    const fetch = fakeFetch();
    const first = new Error("read failed");
    wire.session.fail(first);
    wire.session.fail(new Error("second"));
    const call = wire.guard(fetch)(`${HUB}/api/whoami-v2`);
    await expect(wire.tripped).rejects.toBe(first);
    expect(fetch.calls).toEqual([]);
    expect(await settles(call)).toBe(false);
  });

  it("sends nothing once aborted, and an abort's own errors do not trip it", async () => {
    const controller = new AbortController();
    const wire = createTripwire(controller.signal);
    expect(wire.session.signal).toBe(controller.signal);
    const fetch = fakeFetch(() => {
      controller.abort();
      throw new DOMException("aborted", "AbortError");
    });
    const guarded = wire.guard(fetch);
    const during = guarded(`${HUB}/api/whoami-v2`);
    const after = guarded(`${HUB}/api/whoami-v2`);
    expect(await settles(during)).toBe(false);
    expect(await settles(after)).toBe(false);
    expect(fetch.calls).toEqual([`GET ${HUB}/api/whoami-v2`]);
    expect(await settles(wire.tripped)).toBe(false);
  });

  it("a trip nobody listens to is no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    onTestFinished(() => void process.off("unhandledRejection", onUnhandled));
    createTripwire(undefined).session.fail(new Error("nobody waits"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});
