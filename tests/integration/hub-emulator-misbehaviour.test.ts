import net from "node:net";
import { commit, createRepo } from "@huggingface/hub";
import { http, passthrough } from "msw";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { DEFAULT_TOKEN, FakeHub, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { redirectTo } from "../../emulator/misbehaviour/redirect-to.js";
import { resetMidBody } from "../../emulator/misbehaviour/reset-mid-body.js";
import { stallBody } from "../../emulator/misbehaviour/stall-body.js";
import { stallResponse } from "../../emulator/misbehaviour/stall-response.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { server } from "../helpers/msw-server.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { TEST_HUB } from "../helpers/run-cli.js";

type Path = "msw" | "http";
const CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz";

/** The same emulator options, mounted in-process through msw or served over real HTTP on 127.0.0.1. */
async function mount(via: Path, options: FakeHubOptions): Promise<{ hub: FakeHub; url: string }> {
  if (via === "msw") {
    return { hub: useFakeHub(options), url: TEST_HUB };
  }
  const hub = new FakeHub(options);
  const served = await serveFakeHub(hub);
  onTestFinished(() => served.close());
  server.use(http.all(`${served.url}/*`, () => passthrough()));
  return { hub, url: served.url };
}

/** A repo with one small file, made through the emulator's own endpoints. */
async function seed(url: string): Promise<void> {
  await createRepo({ hubUrl: url, accessToken: DEFAULT_TOKEN, repo: "alice/x" });
  await commit({
    hubUrl: url,
    accessToken: DEFAULT_TOKEN,
    repo: "alice/x",
    title: "seed",
    operations: [
      { operation: "addOrUpdate", path: "file.txt", content: new Blob([CONTENT]) },
      { operation: "addOrUpdate", path: "new.txt", content: new Blob(["the new place"]) },
    ],
  });
}

const isPath = (request: Request, suffix: string): boolean => new URL(request.url).pathname.endsWith(suffix);

/** Proof the emulator keeps serving while one answer hangs: a full round trip completes meanwhile. */
async function roundTrip(url: string): Promise<number> {
  return (await fetch(`${url}/api/whoami-v2`, { headers: { authorization: `Bearer ${DEFAULT_TOKEN}` } })).status;
}

describe.each<Path>(["msw", "http"])("misbehaving Hub primitives through %s", (via) => {
  it("stallResponse: no status line ever comes; the client's abort ends it on both sides", async () => {
    let ended = false;
    const { hub, url } = await mount(via, {
      intercept: (request) =>
        isPath(request, "/resolve/main/file.txt")
          ? stallResponse(request).then((response) => ((ended = true), response))
          : undefined,
    });
    await seed(url);
    const controller = new AbortController();
    let settled = false;

    const pending = fetch(`${url}/alice/x/resolve/main/file.txt`, { signal: controller.signal }).finally(
      () => (settled = true),
    );
    await vi.waitFor(() => expect(hub.count("GET", /\/resolve\/main\/file\.txt$/)).toBe(1));
    expect(await roundTrip(url)).toBe(200);
    expect(settled).toBe(false);
    controller.abort();

    await expect(pending).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(ended).toBe(true));
  });

  it("stallBody: status, headers and the first bytes arrive, then the body stalls until the client gives up", async () => {
    const { url } = await mount(via, {
      postprocess: (request, response) =>
        isPath(request, "/resolve/main/file.txt") ? stallBody(request, response, 4) : response,
    });
    await seed(url);
    const controller = new AbortController();

    const response = await fetch(`${url}/alice/x/resolve/main/file.txt`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    let settled = false;
    const next = reader.read().finally(() => (settled = true));
    expect(await roundTrip(url)).toBe(200);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(CONTENT.length));
    expect(Buffer.from(first.value ?? []).toString()).toBe("0123");
    expect(settled).toBe(false);
    controller.abort();
    await expect(next).rejects.toThrow();
  });

  it("resetMidBody: the full length is announced, N bytes arrive, then the connection resets", async () => {
    const { url } = await mount(via, {
      postprocess: (request, response) =>
        isPath(request, "/resolve/main/file.txt") ? resetMidBody(response, 10) : response,
    });
    await seed(url);

    const response = await fetch(`${url}/alice/x/resolve/main/file.txt`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = "";
    const failure = await (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
          return undefined;
        }
        received += Buffer.from(chunk.value).toString();
      }
    })().catch((error: unknown) => error);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(CONTENT.length));
    expect(received).toBe("0123456789");
    expect(failure).toBeInstanceOf(Error);
    expect(await roundTrip(url)).toBe(200);
  });

  it("redirectTo: a following client lands on the new URL; redirect 'manual' sees the 307; 'error' fails", async () => {
    const { url } = await mount(via, {
      intercept: (request) =>
        isPath(request, "/resolve/main/old.txt")
          ? redirectTo(`${new URL(request.url).origin}/alice/x/resolve/main/new.txt`)
          : undefined,
    });
    await seed(url);

    const followed = await fetch(`${url}/alice/x/resolve/main/old.txt`);
    const manual = await fetch(`${url}/alice/x/resolve/main/old.txt`, { redirect: "manual" });
    const refused = fetch(`${url}/alice/x/resolve/main/old.txt`, { method: "GET", redirect: "error" });

    expect(followed.redirected).toBe(true);
    expect(followed.url).toBe(`${url}/alice/x/resolve/main/new.txt`);
    expect(await followed.text()).toBe("the new place");
    expect(manual.status).toBe(307);
    expect(manual.headers.get("location")).toBe(`${url}/alice/x/resolve/main/new.txt`);
    await expect(refused).rejects.toThrow();
  });
});

describe("resetMidBody over a real socket", () => {
  it("sends the headers and exactly N of the announced bytes, then tears the connection down", async () => {
    const hub = new FakeHub({
      intercept: (request) =>
        isPath(request, "/reset") ? resetMidBody(new Response("x".repeat(1000)), 100) : undefined,
    });
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    const { port } = new URL(served.url);

    // A keep-alive request: only a torn-down connection ends this socket. (The server resets it; Node
    // reports a reset that follows data as a plain end, so the test checks the bytes, not the errno.)
    const raw = await new Promise<string>((resolve) => {
      let received = "";
      const socket = net.connect(Number(port), "127.0.0.1", () =>
        socket.write("GET /reset HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
      );
      socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
      socket.on("error", () => resolve(received));
      socket.on("close", () => resolve(received));
    });

    const [head = "", body = ""] = raw.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head.toLowerCase()).toContain("content-length: 1000");
    expect(body).toBe("x".repeat(100));
  });
});
