import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { FakeHub } from "./fake-hub.js";
import { isLoopbackHost } from "./is-loopback-host.js";

export interface ServedHub {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** 127.0.0.1 (default), ::1 or localhost; anything else is refused. */
  host?: string;
  /** Told about each answered request ("GET /api/whoami-v2 200 3 ms"). */
  log?: (line: string) => void;
}

async function send(incoming: http.IncomingMessage, outgoing: http.ServerResponse, response: Response): Promise<void> {
  if (response.type === "error") {
    // Response.error(): the connection drops without an answer.
    incoming.socket.destroy();
    return;
  }
  outgoing.statusCode = response.status;
  response.headers.forEach((value, name) => outgoing.setHeader(name, value));
  // Headers go out now, so a body that stalls (stallBody) still shows its status line first.
  outgoing.flushHeaders();
  if (response.body && incoming.method !== "HEAD") {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        // Waiting for each chunk to leave keeps memory flat, and means that when the body fails
        // (resetMidBody), everything before the failure has really been sent.
        await new Promise<void>((resolve) => outgoing.write(chunk, () => resolve()));
      }
    } catch {
      // The body failed after the headers (resetMidBody, or a stalled body whose client left): all
      // a server can still do is reset the connection.
      incoming.socket.resetAndDestroy();
      return;
    }
  }
  outgoing.end();
}

/**
 * Serves a FakeHub over real HTTP on loopback only, for child processes that msw cannot reach. The
 * request's `signal` aborts when the client's connection closes before the answer is complete, which
 * is what ends stallResponse/stallBody; close() closes every connection, stalled ones included.
 */
export async function serveFakeHub(hub: FakeHub, options: ServeOptions = {}): Promise<ServedHub> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    throw new Error(`${host} is not a loopback address: the Hub emulator only listens on 127.0.0.1, ::1 or localhost`);
  }
  const server = http.createServer((incoming, outgoing) => {
    const started = performance.now();
    const url = `http://${incoming.headers.host ?? "127.0.0.1"}${incoming.url ?? "/"}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value === undefined) {
        continue;
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        headers.append(name, item);
      }
    }
    const controller = new AbortController();
    outgoing.on("close", () => {
      if (!outgoing.writableFinished) {
        controller.abort();
      }
    });
    const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
    const request = new Request(url, {
      method: incoming.method ?? "GET",
      headers,
      signal: controller.signal,
      ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    });
    hub
      .handle(request)
      .then(async (response) => {
        await send(incoming, outgoing, response);
        options.log?.(
          `${incoming.method ?? "GET"} ${incoming.url ?? "/"} ${response.type === "error" ? "dropped" : response.status} ${Math.round(performance.now() - started)} ms`,
        );
      })
      .catch((error: unknown) => {
        if (outgoing.headersSent) {
          incoming.socket.destroy();
          return;
        }
        outgoing.statusCode = 500;
        outgoing.end(String(error));
      });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const shown = host === "localhost" ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
