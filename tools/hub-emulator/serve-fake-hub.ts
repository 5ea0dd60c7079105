import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { FakeHub } from "./fake-hub.js";

export interface ServedHub {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  close(): Promise<void>;
}

/** Serves a FakeHub over real HTTP on 127.0.0.1 (loopback only) for child processes that msw cannot reach. */
export async function serveFakeHub(hub: FakeHub, options: { port?: number } = {}): Promise<ServedHub> {
  const server = http.createServer((incoming, outgoing) => {
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
    const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
    const request = new Request(url, {
      method: incoming.method ?? "GET",
      headers,
      ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    });
    hub
      .handle(request)
      .then(async (response) => {
        if (response.type === "error") {
          // Response.error(): a dropped connection.
          incoming.socket.destroy();
          return;
        }
        outgoing.statusCode = response.status;
        response.headers.forEach((value, name) => outgoing.setHeader(name, value));
        if (response.body) {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            outgoing.write(chunk);
          }
        }
        outgoing.end();
      })
      .catch((error: unknown) => {
        outgoing.statusCode = 500;
        outgoing.end(String(error));
      });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
