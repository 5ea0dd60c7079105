import { writeFile, truncate } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { http as mswHttp, HttpResponse, passthrough } from "msw";
import { describe, expect, it, onTestFinished } from "vitest";
import { server as msw } from "../../tests/helpers/msw-server.js";
import { recordAllRequests } from "../../tests/helpers/use-fake-hub.js";
import { testdir } from "../../tests/helpers/testdir.js";
import { FileChangedError, HubError } from "../errors.js";
import { abortableSleep } from "../util/abortable-sleep.js";
import { createHubFetch } from "./create-hub-fetch.js";
import { SourceBlob } from "./source-blob.js";
import { withRetries, type RetryInfo, type RetryPolicy } from "./with-retries.js";

/** A real HTTP server on 127.0.0.1 whose behaviour per request the test scripts; msw lets its requests through. */
async function loopback(
  handle: (request: http.IncomingMessage, response: http.ServerResponse, index: number) => void,
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = http.createServer((request, response) => handle(request, response, requests++));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  msw.use(mswHttp.all(`${url}/*`, () => passthrough()));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url, requests: () => requests };
}

const policy = (maxRetries: number): RetryPolicy => ({
  maxRetries,
  baseDelayMs: 1,
  maxDelayMs: 1,
  maxServerWaitMs: 1000,
  random: () => 0.5,
  clock: { now: () => Date.now(), sleep: abortableSleep },
});

describe("createHubFetch: every attempt is bounded by the timeout", () => {
  it("a server that accepts and never answers: each attempt times out and is retried", async () => {
    const hub = await loopback(() => undefined);
    const retries: RetryInfo[] = [];
    const send = withRetries(createHubFetch({ timeoutMs: 200 }), policy(2), { onRetry: (info) => retries.push(info) });

    const started = Date.now();
    const error = await send(`${hub.url}/api/whoami-v2`).catch((e: unknown) => e);

    expect((error as Error).name).toBe("TimeoutError");
    expect((error as Error).message).toBe("no complete answer within 200 ms");
    expect(hub.requests()).toBe(3);
    expect(retries.map((info) => info.reason)).toEqual(["ETIMEDOUT", "ETIMEDOUT"]);
    // Generous: three attempts of 200 ms, far below undici's 300 s headers timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("a server that sends headers and then stalls the body: the body read times out, and is retried", async () => {
    const hub = await loopback((_request, response, index) => {
      if (index < 2) {
        response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        response.write('{"name":');
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"name":"alice"}');
    });
    const send = withRetries(createHubFetch({ timeoutMs: 200 }), policy(3));

    const response = await send(`${hub.url}/api/whoami-v2`);

    expect(await response.json()).toEqual({ name: "alice" });
    expect(hub.requests()).toBe(3);
  });

  it("a connection reset in the middle of an answer is a failed attempt, retried", async () => {
    const hub = await loopback((request, response, index) => {
      if (index < 2) {
        response.writeHead(200, { "content-type": "application/json", "content-length": "200" });
        response.write('{"files":[{"path":"a"');
        response.once("finish", () => undefined);
        setTimeout(() => request.socket.destroy(), 20);
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"files":[]}');
    });
    const retries: RetryInfo[] = [];
    const send = withRetries(createHubFetch({ timeoutMs: 5000 }), policy(3), {
      onRetry: (info) => retries.push(info),
    });

    const response = await send(`${hub.url}/api/models/a/b/preupload/main`, { method: "POST", body: "{}" });

    expect(await response.json()).toEqual({ files: [] });
    expect(hub.requests()).toBe(3);
    expect(retries).toHaveLength(2);
  });
});

describe("createHubFetch: redirects", () => {
  it("never follows a redirect on a write request, and never re-sends its body elsewhere", async () => {
    const seen = recordAllRequests();
    msw.use(
      mswHttp.post(
        "https://hub.test/api/models/alice/run/commit/main",
        () => new HttpResponse(null, { status: 307, headers: { location: "https://elsewhere.test/upload" } }),
      ),
    );
    const send = withRetries(createHubFetch({ hubUrl: "https://hub.test" }), policy(3));

    const error = await send("https://hub.test/api/models/alice/run/commit/main", {
      method: "POST",
      body: "{}",
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).message).toBe(
      "The Hub redirected POST /api/models/alice/run/commit/main to elsewhere.test; refusing to re-send the upload",
    );
    expect(seen).toEqual(["POST https://hub.test/api/models/alice/run/commit/main"]);
  });

  it("follows a same-origin redirect on a GET, and refuses one to another host", async () => {
    const seen = recordAllRequests();
    msw.use(
      mswHttp.get(
        "https://hub.test/api/models/alice/old/revision/main",
        () => new HttpResponse(null, { status: 307, headers: { location: "/api/models/alice/new/revision/main" } }),
      ),
      mswHttp.get("https://hub.test/api/models/alice/new/revision/main", () => HttpResponse.json({ sha: "abc" })),
      mswHttp.get(
        "https://hub.test/api/whoami-v2",
        () => new HttpResponse(null, { status: 302, headers: { location: "https://elsewhere.test/api/whoami-v2" } }),
      ),
    );
    const send = createHubFetch({ hubUrl: "https://hub.test" });

    const moved = await send("https://hub.test/api/models/alice/old/revision/main");
    expect(await moved.json()).toEqual({ sha: "abc" });
    await expect(send("https://hub.test/api/whoami-v2")).rejects.toThrow(
      "The Hub redirected GET /api/whoami-v2 to elsewhere.test; not following it",
    );
    expect(seen).toEqual([
      "GET https://hub.test/api/models/alice/old/revision/main",
      "GET https://hub.test/api/models/alice/new/revision/main",
      "GET https://hub.test/api/whoami-v2",
    ]);
  });
});

describe("createHubFetch: file PUTs", () => {
  it("a file truncated while its PUT is streaming fails the request at once, not after the idle timeout", async () => {
    const dir = await testdir();
    const file = path.join(dir, "weights.bin");
    // Far more than the loopback socket buffers hold, so the client cannot have sent it all before the truncation.
    await writeFile(file, Buffer.alloc(32 * 1024 * 1024, 7));
    const blob = await SourceBlob.forFile(file, { label: "model/weights.bin" });
    let truncated = false;
    const hub = await loopback((request, response) => {
      request.on("data", () => {
        if (!truncated) {
          truncated = true;
          request.pause();
          void truncate(file, 100).then(() => request.resume());
        }
      });
      request.on("end", () => response.end("stored"));
    });
    const send = withRetries(createHubFetch({ timeoutMs: 60_000 }), policy(3));

    const started = Date.now();
    const error = await send(`${hub.url}/lfs/upload`, { method: "PUT", body: blob }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FileChangedError);
    expect((error as Error).message).toBe("model/weights.bin changed while it was being uploaded");
    expect(hub.requests()).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("a redirect answering a file PUT is a failure naming the storage host, not a retry", async () => {
    const dir = await testdir();
    const file = path.join(dir, "weights.bin");
    await writeFile(file, Buffer.alloc(1024, 1));
    const hub = await loopback((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(307, { location: "http://elsewhere.test/bucket" });
        response.end();
      });
    });
    const send = withRetries(createHubFetch({ hubUrl: "https://hub.test" }), policy(3));

    const error = await send(`${hub.url}/bucket/object?X-Amz-Signature=secret`, {
      method: "PUT",
      body: await SourceBlob.forFile(file),
    }).catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      `The Hub redirected PUT ${new URL(hub.url).host}/bucket/object to elsewhere.test; refusing to re-send the upload`,
    );
    expect(hub.requests()).toBe(1);
  });
});
