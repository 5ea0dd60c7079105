import { jsonResponse } from "./json-response.js";
import type { RouteContext } from "./route-context.js";

/**
 * A listing as the Hub pages it: the entries from `?cursor=` on, at most the emulator's page size (default
 * 1000), with `Link: <...>; rel="next"` while more remain. `render` turns the page into the JSON sent.
 */
export function jsonPage<T>(
  ctx: RouteContext,
  entries: readonly T[],
  render: (page: T[]) => unknown = (page) => page,
): Response {
  const pageSize = ctx.hub.options.pageSize ?? 1000;
  const start = Math.max(0, Number(ctx.url.searchParams.get("cursor") ?? "0") || 0);
  const headers: Record<string, string> = {};
  if (start + pageSize < entries.length) {
    const next = new URL(ctx.url.href);
    next.searchParams.set("cursor", String(start + pageSize));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return jsonResponse(render(entries.slice(start, start + pageSize)), 200, headers);
}
