/**
 * A connection reset mid-body: the status and headers of `response` are sent, with a Content-Length
 * of its full body, then its first `afterBytes` bytes, and then the connection is reset. Over
 * serveFakeHub the socket gets a TCP RST; through msw the client's body read fails with ECONNRESET.
 * Either way the client sees a truncated body. The source body is read into memory first.
 *
 *   postprocess: (request, response) => (isResolve(request) ? resetMidBody(response, 10) : response)
 */
export async function resetMidBody(response: Response, afterBytes: number): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.set("content-length", String(bytes.byteLength));
  let sent = afterBytes <= 0 || bytes.byteLength === 0;
  // Pulled one read at a time: erroring a stream drops whatever is still queued in it.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(bytes.slice(0, Math.min(afterBytes, bytes.byteLength)));
          return;
        }
        controller.error(Object.assign(new Error("connection reset by the Hub emulator"), { code: "ECONNRESET" }));
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
