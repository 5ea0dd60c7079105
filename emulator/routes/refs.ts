import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

/**
 * `GET /api/{type}s/{id}/refs[?include_prs=1]`: `{branches, converts, tags, pullRequests?}` of
 * `{name, ref, targetCommit}`. A branch without a commit yet (main of a fresh repo) is not listed.
 */
export function refsRoute(ctx: RouteContext, type: RepoType, id: string): Response {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const includePrs = ["1", "true"].includes(ctx.url.searchParams.get("include_prs") ?? "");
  const branches = [...repo.branches]
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, commit]) => ({ name, ref: `refs/heads/${name}`, targetCommit: commit }));
  const tags = [...repo.tags].map(([name, tag]) => ({ name, ref: `refs/tags/${name}`, targetCommit: tag.commit }));
  return jsonResponse({
    branches,
    converts: [],
    tags,
    ...(includePrs
      ? {
          pullRequests: [...repo.pullRequests.values()].map((pr) => ({
            name: `refs/pr/${pr.num}`,
            ref: `refs/pr/${pr.num}`,
            targetCommit: pr.head,
          })),
        }
      : {}),
  });
}
