/**
 * A response whose body stalls after the headers: the status and headers of `response` are sent, with
 * a Content-Length of its full body, then its first `afterBytes` bytes, and then nothing more until the
 * request is aborted (the client gave up, or serveFakeHub closed the connection), when the body
 * errors. The source body is read into memory first, so use it with small answers.
 *
 *   postprocess: (request, response) => (isTree(request) ? stallBody(request, response) : response)
 */
export async function stallBody(
  request: Request,
  response: Response = new Response(null),
  afterBytes = 0,
): Promise<Response> {
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
        return new Promise<void>((resolve) => {
          const stop = (): void => {
            controller.error(new Error("the client went away while the body was stalled"));
            resolve();
          };
          if (request.signal.aborted) {
            stop();
          } else {
            request.signal.addEventListener("abort", stop, { once: true });
          }
        });
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
