import { discussionJson } from "../discussion-json.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { openDiscussion } from "../open-discussion.js";
import { repoUrl } from "../repo-url.js";
import type { RouteContext } from "../route-context.js";
import type { FakeDiscussion, RepoType } from "../types.js";

/** The Hub's page size for a repo's discussions. */
const PAGE = 50;

const STATUS_FILTERS: Record<string, (d: FakeDiscussion) => boolean> = {
  all: () => true,
  open: (d) => d.status === "open" || d.status === "draft",
  closed: (d) => d.status === "closed" || d.status === "merged",
};
const TYPE_FILTERS: Record<string, (d: FakeDiscussion) => boolean> = {
  all: () => true,
  pull_request: (d) => d.isPullRequest,
  discussion: (d) => !d.isPullRequest,
};

/**
 * `GET /api/{type}s/{id}/discussions?type=&status=&author=&p=`: the repo's discussions and pull requests,
 * newest first, 50 a page, as `{discussions, count, start}` (an open filter includes drafts, a closed
 * one merged pull requests). `POST` `{title, description, pullRequest}` opens one (title 3 to 200
 * characters once trimmed): a discussion, or a draft pull request whose `refs/pr/N` starts at the head
 * of main; answers `{num, url}`.
 */
export async function discussionsRoute(ctx: RouteContext, type: RepoType, id: string): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  if (ctx.request.method === "GET") {
    const params = ctx.url.searchParams;
    const byStatus = STATUS_FILTERS[params.get("status") ?? "all"];
    const byType = TYPE_FILTERS[params.get("type") ?? "all"];
    if (byStatus === undefined || byType === undefined) {
      return hubError(400, "status must be open, closed or all, and type pull_request, discussion or all");
    }
    const author = params.get("author")?.toLowerCase();
    const matching = [...repo.discussions.values()]
      .filter((d) => byStatus(d) && byType(d) && (author === undefined || d.author.toLowerCase() === author))
      .sort((a, b) => b.num - a.num);
    const start = Math.max(0, Number(params.get("p") ?? "0") || 0) * PAGE;
    return jsonResponse({
      discussions: matching.slice(start, start + PAGE).map((d) => discussionJson(repo, d, false)),
      count: matching.length,
      start,
      numClosedDiscussions: [...repo.discussions.values()].filter((d) => STATUS_FILTERS.closed?.(d)).length,
    });
  }
  const user = ctx.user;
  if (user === undefined) {
    return hubError(401, "You must be authenticated to open a discussion");
  }
  const body = (await ctx.request.json().catch(() => undefined)) as
    { title?: unknown; description?: unknown; pullRequest?: unknown } | undefined;
  const title = typeof body?.title === "string" ? body.title.trim() : "";
  if (title.length < 3 || title.length > 200) {
    return hubError(400, "The title must be 3 to 200 characters long");
  }
  const description = typeof body?.description === "string" ? body.description : "";
  let pullRequest: Parameters<typeof openDiscussion>[1]["pullRequest"];
  if (body?.pullRequest === true) {
    const head = repo.branches.get("main");
    if (head === undefined) {
      return hubError(400, "main has no commit to open a pull request on");
    }
    pullRequest = { target: "main", base: head, head, status: "draft" };
  }
  const discussion = openDiscussion(repo, { title, description, author: user.name, pullRequest });
  await ctx.hub.save();
  return jsonResponse({ num: discussion.num, url: `${repoUrl(ctx.origin, repo)}/discussions/${discussion.num}` });
}
