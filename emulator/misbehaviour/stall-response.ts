/**
 * A response that never comes: the request is accepted and then nothing is sent, not even the status
 * line, as from a Hub whose socket stalls. Use it from `intercept` (the request never takes effect) or
 * `postprocess` (it took effect, the answer never arrives). The promise settles only when the request
 * is aborted: the client gives up (msw) or the connection closes (serveFakeHub, including on close()).
 *
 *   intercept: (request) => (isCommit(request) ? stallResponse(request) : undefined)
 */
export function stallResponse(request: Request): Promise<Response> {
  return new Promise<Response>((resolve) => {
    if (request.signal.aborted) {
      resolve(Response.error());
      return;
    }
    request.signal.addEventListener("abort", () => resolve(Response.error()), { once: true });
  });
}
