/**
 * A redirect (307 by default, which keeps the method and body) to `location`, absolute or relative to
 * the request. Clients that follow redirects replay the request there; a client that sets
 * `redirect: "error"` (as we do for streamed PUTs) fails instead.
 *
 *   intercept: (request) => (isResolve(request) ? redirectTo(`${origin}/elsewhere`) : undefined)
 */
export function redirectTo(location: string, status: 301 | 302 | 303 | 307 | 308 = 307): Response {
  return new Response(null, { status, headers: { location } });
}
