import { createHash } from "node:crypto";
import { writeFile, truncate } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { http as mswHttp, HttpResponse, passthrough } from "msw";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { server as msw } from "../../../tests/helpers/msw-server.js";
import { recordAllRequests } from "../../../tests/helpers/use-fake-hub.js";
import { testdir } from "../../../tests/helpers/testdir.js";
import { runToCompletion } from "../../../tests/helpers/run-to-completion.js";
import { FileChangedError, HubError } from "../../errors.js";
import { abortableSleep } from "../../util/abortable-sleep.js";
import { fileIdentity } from "../../util/file-identity.js";
import { createHubFetch } from "./create-hub-fetch.js";
import { SourceBlob, type RangeReader } from "./source-blob.js";
import { withRetries, type RetryInfo, type RetryPolicy } from "./with-retries.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

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

describe("createHubFetch: ordinary requests", () => {
  it("go over node:http, not the global fetch, and come back as fetch would answer them", async () => {
    const seen: Array<Record<string, string | undefined>> = [];
    const hub = await loopback((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        seen.push({
          method: request.method,
          url: request.url,
          authorization: request.headers.authorization,
          contentType: request.headers["content-type"],
          contentLength: request.headers["content-length"],
          body,
        });
        response.writeHead(201, { "content-type": "application/json", "x-request-id": "r-1" });
        response.end('{"ok":true}');
      });
    });
    const globalFetch = vi.spyOn(globalThis, "fetch");
    const send = createHubFetch({ timeoutMs: 5000 });

    const posted = await send(`${hub.url}/api/x?y=1`, {
      method: "POST",
      headers: { Authorization: "Bearer hf_fakeTokenForTests" },
      body: "hello",
    });
    const json = await send(`${hub.url}/api/y`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new TextEncoder().encode('{"a":1}'),
    });
    const head = await send(`${hub.url}/api/z`, { method: "HEAD" });

    expect(globalFetch).not.toHaveBeenCalled();
    expect(seen).toEqual([
      {
        method: "POST",
        url: "/api/x?y=1",
        authorization: "Bearer hf_fakeTokenForTests",
        contentType: "text/plain;charset=UTF-8",
        contentLength: "5",
        body: "hello",
      },
      {
        method: "POST",
        url: "/api/y",
        authorization: undefined,
        contentType: "application/json",
        contentLength: "7",
        body: '{"a":1}',
      },
      {
        method: "HEAD",
        url: "/api/z",
        authorization: undefined,
        contentType: undefined,
        contentLength: undefined,
        body: "",
      },
    ]);
    expect(posted.status).toBe(201);
    expect(posted.headers.get("x-request-id")).toBe("r-1");
    expect(posted.url).toBe(`${hub.url}/api/x?y=1`);
    expect(await posted.json()).toEqual({ ok: true });
    expect(await json.json()).toEqual({ ok: true });
    expect(head.body).toBeNull();
  });

  it("a Request object, which node:http cannot replay, still goes through the global fetch", async () => {
    const hub = await loopback((_request, response) => response.end("fine"));
    const globalFetch = vi.spyOn(globalThis, "fetch");

    const response = await createHubFetch({ timeoutMs: 5000 })(new Request(`${hub.url}/api/x`));

    expect(await response.text()).toBe("fine");
    expect(globalFetch).toHaveBeenCalledTimes(1);
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

describe("createHubFetch: uploads of bytes in memory (xorbs)", () => {
  it("send a Content-Length and report progress, and are bounded by an idle limit, not a total one", async () => {
    // In a process of its own: msw's interception of node:http in this one keeps its own socket
    // timer, which activity on the connection does not reset as a real socket's does.
    const dir = await testdir();
    const script = path.join(dir, "post.mts");
    await writeFile(
      script,
      `
import { createHash } from "node:crypto";
import http from "node:http";
import { createHubFetch } from ${JSON.stringify(path.join(ROOT, "src", "hub", "transport", "create-hub-fetch.ts"))};

const body = new Uint8Array(8 * 1024 * 1024).map((_, i) => i % 251);
const answer = '{"was_inserted":true}';
const seen = [];
// A CAS that takes the body, then answers slowly: one character every 100 ms, far longer in all than
// the limit, but never silent for as long.
const server = http.createServer((request, response) => {
  const hash = createHash("sha256");
  request.on("data", (part) => hash.update(part));
  request.on("end", () => {
    seen.push({ length: request.headers["content-length"], intact: hash.digest("hex") === createHash("sha256").update(body).digest("hex") });
    response.writeHead(200, { "content-type": "application/json" });
    let sent = 0;
    const timer = setInterval(() => {
      response.write(answer.charAt(sent++));
      if (sent === answer.length) {
        clearInterval(timer);
        response.end();
      }
    }, 100);
    response.on("close", () => clearInterval(timer));
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = "http://127.0.0.1:" + server.address().port + "/v1/xorbs/default/x";
const send = createHubFetch({ timeoutMs: 800 });
const fractions = [];
const response = await send(url, { method: "POST", body, progressHint: { progressCallback: (f) => fractions.push(f) } });
const text = await response.text();
// The same body without asking for progress is an ordinary request: the total limit ends it.
const plain = await send(url, { method: "POST", body }).then(() => "answered", (error) => error.message);
server.closeAllConnections();
server.close();
process.stdout.write(JSON.stringify({ text, seen, fractions, plain }));
`,
    );
    const result = await runToCompletion(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      env: { PATH: "/usr/bin:/bin" },
    });
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as {
      text: string;
      seen: unknown[];
      fractions: number[];
      plain: string;
    };
    expect(out.text).toBe('{"was_inserted":true}');
    expect(out.seen).toEqual([
      { length: String(8 * 1024 * 1024), intact: true },
      { length: String(8 * 1024 * 1024), intact: true },
    ]);
    expect(out.fractions.length).toBeGreaterThan(1);
    expect(out.fractions.at(-1)).toBe(1);
    expect(out.fractions).toEqual([...out.fractions].sort((a, b) => a - b));
    expect(out.plain).toMatch(/no complete answer within 800 ms/);
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

  /** A blob that records the buffers its PUT reads into, and whether the file was closed. */
  class WatchedBlob extends SourceBlob {
    readonly buffers = new Set<ArrayBufferLike>();
    reads = 0;
    closed = false;

    override async openReader(): Promise<RangeReader> {
      const reader = await super.openReader();
      return {
        read: (into) => {
          this.buffers.add(into.buffer);
          this.reads++;
          return reader.read(into);
        },
        close: () => {
          this.closed = true;
          return reader.close();
        },
      };
    }
  }

  async function watchedFile(bytes: Buffer): Promise<WatchedBlob> {
    const file = path.join(await testdir(), "weights.bin");
    await writeFile(file, bytes);
    return new WatchedBlob(file, 0, bytes.length, { identity: await fileIdentity(file), label: "weights.bin" });
  }

  it("sends a large file from a few reused buffers, each read into again only once written, and it arrives intact", async () => {
    // In a process of its own: msw's interception of node:http in this one acknowledges every write
    // at once (no backpressure), which is exactly what this test must not have.
    const dir = await testdir();
    const script = path.join(dir, "put.mts");
    await writeFile(
      script,
      `
import { createHash, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { createHubFetch } from ${JSON.stringify(path.join(ROOT, "src", "hub", "transport", "create-hub-fetch.ts"))};
import { SourceBlob } from ${JSON.stringify(path.join(ROOT, "src", "hub", "transport", "source-blob.ts"))};
import { fileIdentity } from ${JSON.stringify(path.join(ROOT, "src", "util", "file-identity.ts"))};

class WatchedBlob extends SourceBlob {
  buffers = new Set();
  reads = 0;
  closed = false;
  async openReader() {
    const reader = await super.openReader();
    return {
      read: (into) => {
        this.buffers.add(into.buffer);
        this.reads++;
        return reader.read(into);
      },
      close: () => {
        this.closed = true;
        return reader.close();
      },
    };
  }
}
const content = randomBytes(20 * 1024 * 1024 + 12345);
const file = path.join(${JSON.stringify(dir)}, "weights.bin");
await writeFile(file, content);
const blob = new WatchedBlob(file, 0, content.length, { identity: await fileIdentity(file), label: "weights.bin" });
// A reader slower than the client, so the client waits on the socket and recycles under backpressure.
const server = http.createServer((request, response) => {
  const hash = createHash("sha256");
  let received = 0;
  request.on("data", (chunk) => {
    hash.update(chunk);
    received += chunk.length;
    request.pause();
    setTimeout(() => request.resume(), 1);
  });
  request.on("end", () => response.end(JSON.stringify({ received, sha256: hash.digest("hex") })));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const progress = [];
const response = await createHubFetch({ timeoutMs: 60000 })("http://127.0.0.1:" + server.address().port + "/lfs", {
  method: "PUT",
  body: blob,
  progressHint: { progressCallback: (fraction) => progress.push(fraction) },
});
const answer = await response.json();
server.close();
process.stdout.write(JSON.stringify({
  intact: answer.received === content.length && answer.sha256 === createHash("sha256").update(content).digest("hex"),
  reads: blob.reads,
  buffers: blob.buffers.size,
  closed: blob.closed,
  progress,
}));
`,
    );
    const result = await runToCompletion(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      env: { PATH: "/usr/bin:/bin" },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const seen = JSON.parse(result.stdout) as {
      intact: boolean;
      reads: number;
      buffers: number;
      closed: boolean;
      progress: number[];
    };

    expect(seen.intact).toBe(true);
    // 20 MiB in chunks of at least 1 MiB, read into no more than three buffers.
    expect(seen.reads).toBeGreaterThan(5);
    expect(seen.buffers).toBeLessThanOrEqual(3);
    expect(seen.closed).toBe(true);
    expect(seen.progress.at(-1)).toBe(1);
    expect(seen.progress).toEqual([...seen.progress].sort((a, b) => a - b));
  });

  it("through an interceptor that takes writes before sending them (msw here), no buffer is reused too early", async () => {
    const content = Buffer.from(Array.from({ length: 12 * 1024 * 1024 }, (_, i) => (i * 7 + (i >> 20)) & 0xff));
    const blob = await watchedFile(content);
    const hub = await loopback((request, response) => {
      const hash = createHash("sha256");
      request.on("data", (chunk: Buffer) => hash.update(chunk));
      request.on("end", () => response.end(hash.digest("hex")));
    });

    const response = await createHubFetch({ timeoutMs: 60_000 })(`${hub.url}/lfs/upload`, {
      method: "PUT",
      body: blob,
    });

    expect(await response.text()).toBe(createHash("sha256").update(content).digest("hex"));
    expect(blob.reads).toBeGreaterThan(3);
  });

  it("an aborted PUT rejects with the abort and closes its file", async () => {
    const blob = await watchedFile(Buffer.alloc(16 * 1024 * 1024, 3));
    const controller = new AbortController();
    const hub = await loopback((request) => {
      request.once("data", () => {
        request.pause();
        controller.abort(new Error("stopped by the test"));
      });
    });

    const error = await createHubFetch({ timeoutMs: 60_000, signal: controller.signal })(`${hub.url}/lfs/upload`, {
      method: "PUT",
      body: blob,
    }).catch((e: unknown) => e);

    expect((error as Error).name).toBe("AbortError");
    await expect.poll(() => blob.closed).toBe(true);
  });
});
