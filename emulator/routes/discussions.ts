import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

/** Entries per page, as the Hub pages its discussion listings. */
const PAGE_SIZE = 50;

/**
 * `GET /api/{type}s/{id}/discussions?type=&status=&author=&p=`: the repo's pull requests, newest first,
 * as `{discussions: [{num, title, status, isPullRequest, createdAt, author: {name}, repo: {name, type}}],
 * count, start}` (what huggingface_hub's get_repo_discussions reads). The emulator has pull requests
 * only (opened by `create_pr=1`), all open; `type=discussion` and `status=closed` list none.
 */
export function discussionsRoute(ctx: RouteContext, type: RepoType, id: string): Response {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const params = ctx.url.searchParams;
  const kind = params.get("type") ?? "all";
  const status = params.get("status") ?? "all";
  if (!["all", "pull_request", "discussion"].includes(kind) || !["all", "open", "closed"].includes(status)) {
    return hubError(400, `Invalid filter: type=${kind}, status=${status}`);
  }
  const author = params.get("author");
  const listed =
    kind === "discussion" || status === "closed"
      ? []
      : [...repo.pullRequests.values()]
          .filter((pr) => author === null || pr.author === author)
          .sort((a, b) => b.num - a.num);
  const page = Math.max(0, Number(params.get("p") ?? "0") || 0);
  const start = page * PAGE_SIZE;
  return jsonResponse({
    discussions: listed.slice(start, start + PAGE_SIZE).map((pr) => ({
      num: pr.num,
      title: pr.title,
      status: "open",
      isPullRequest: true,
      createdAt: pr.createdAt,
      author: { name: pr.author, type: "user" },
      repo: { name: repo.id, type },
      pinned: false,
      numComments: 1,
    })),
    count: listed.length,
    start,
    numClosedDiscussions: 0,
  });
}
