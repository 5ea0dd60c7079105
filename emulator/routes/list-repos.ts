import { jsonPage } from "../json-page.js";
import { repoSummaryJson } from "../repo-summary-json.js";
import type { RouteContext } from "../route-context.js";
import type { FakeRepo } from "../fake-repo.js";
import type { RepoType } from "../types.js";

const SORT_KEYS: Record<string, (repo: FakeRepo) => string> = {
  createdAt: (repo) => repo.createdAt,
  lastModified: (repo) => {
    const head = repo.branches.get("main");
    return (head === undefined ? undefined : repo.allCommits.get(head)?.date) ?? repo.createdAt;
  },
  id: (repo) => repo.id.toLowerCase(),
};

/**
 * `GET /api/models` and `/api/datasets`: the repos of that type the caller may see (public ones, and
 * private ones of their namespaces), filtered by `author` (a namespace) and `search` (part of the id),
 * sorted by `sort` (createdAt, lastModified or id; others, such as downloads or likes, which are 0
 * here, keep creation order) in `direction` -1 (default) or 1, at most `limit`, paginated through
 * `Link` 1000 at a time. Other filters (tags, pipeline_tag, ...) are not applied.
 */
export function listReposRoute(ctx: RouteContext, type: RepoType): Response {
  const params = ctx.url.searchParams;
  const user = ctx.user;
  const namespaces = new Set(
    [user?.name, ...(user?.orgs ?? [])].filter((n) => n !== undefined).map((n) => n.toLowerCase()),
  );
  const author = params.get("author")?.toLowerCase();
  const search = params.get("search")?.toLowerCase();
  const sortKey = SORT_KEYS[params.get("sort") ?? ""] ?? SORT_KEYS.createdAt;
  const direction = params.get("direction") === "1" ? 1 : -1;
  const visible = [...ctx.hub.repos.values()].filter((repo) => {
    const namespace = (repo.id.split("/")[0] ?? "").toLowerCase();
    return (
      repo.type === type &&
      (!repo.private || namespaces.has(namespace)) &&
      (author === undefined || namespace === author) &&
      (search === undefined || repo.id.toLowerCase().includes(search))
    );
  });
  visible.sort((a, b) => {
    const [x, y] = [sortKey?.(a) ?? "", sortKey?.(b) ?? ""];
    return (x < y ? -1 : x > y ? 1 : 0) * direction;
  });
  const limit = Number(params.get("limit") ?? "") || Infinity;
  return jsonPage(ctx, visible.slice(0, limit), (page) => page.map((repo) => ({ ...repoSummaryJson(repo), tags: [] })));
}
