import { commitTarget } from "../commit-target.js";
import type { HubRoute } from "../parse-hub-path.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { XetCas } from "../xet/xet-cas.js";
import { xetTokenAnswer } from "../xet-token-answer.js";

/**
 * `GET /api/{type}s/{id}/xet-read-token/{rev}` and `.../xet-write-token/{rev}` (Xet spec
 * "Authentication"): a short-lived CAS token for the repo, to a user who may read (download: gated
 * repos need access) or write it (xetTokenAnswer). The revision must exist; a write token is for a branch or pull
 * request, or, with `create_pr=1`, for the pull request about to be opened (huggingface_hub then
 * sends the revision "None").
 */
export function xetTokenRoute(ctx: RouteContext, xet: XetCas, route: Extract<HubRoute, { kind: "repo" }>): Response {
  const write = route.action === "xet-write-token";
  const repo = ctx.hub.access(ctx, route.type, route.id, write ? "write" : "download");
  if (repo instanceof Response) {
    return repo;
  }
  const revision = route.revision ?? "main";
  const createPr = ["1", "true"].includes(ctx.url.searchParams.get("create_pr") ?? "");
  const known = write ? commitTarget(repo, revision) : repo.resolve(revision);
  if (!known && !(write && createPr && revision === "None")) {
    return revisionNotFound(revision);
  }
  return xetTokenAnswer(xet, write ? "write" : "read", repo.key, ctx.origin);
}
