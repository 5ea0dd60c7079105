import { jsonResponse } from "../json-response.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

const escapeHtml = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * `GET /api/{type}s/{id}/commits/{rev}?limit=&p=`: the history reachable from a revision, newest
 * first, as `{id, title, message, date, authors: [{user, avatar}]}` (plus `formatted` with
 * `expand[]=formatted`), with `X-Total-Count` and a `Link` to the next page.
 */
export function commitsRoute(ctx: RouteContext, type: RepoType, id: string, revision: string): Response {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const resolved = repo.resolve(revision);
  if (!resolved) {
    return revisionNotFound(revision);
  }
  const params = ctx.url.searchParams;
  const max = ctx.hub.options.pageSize ?? 1000;
  const limit = Math.min(max, Math.max(1, Number(params.get("limit") ?? "50") || 50));
  const page = Math.max(0, Number(params.get("p") ?? "0") || 0);
  const formatted = params.getAll("expand[]").includes("formatted") || params.getAll("expand").includes("formatted");
  const history = repo.history(resolved.commit);
  const items = history.slice(page * limit, (page + 1) * limit).map((commit) => ({
    id: commit.oid,
    title: commit.title,
    message: commit.description,
    date: commit.date,
    authors: [{ user: commit.author, avatar: "" }],
    ...(formatted ? { formatted: { title: escapeHtml(commit.title), message: escapeHtml(commit.description) } } : {}),
  }));
  const headers: Record<string, string> = { "x-total-count": String(history.length) };
  if ((page + 1) * limit < history.length) {
    const next = new URL(ctx.url.href);
    next.searchParams.set("p", String(page + 1));
    next.searchParams.set("limit", String(limit));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return jsonResponse(items, 200, headers);
}
