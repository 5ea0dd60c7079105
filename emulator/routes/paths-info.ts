import { addXetHashes } from "../add-xet-hashes.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import { treeEntries } from "../tree-entries.js";
import type { RepoType } from "../types.js";

/** `POST /api/{type}s/{id}/paths-info/{rev}` with `{paths, expand}` as JSON (hub.js) or a form (huggingface_hub). */
export async function pathsInfoRoute(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  revision: string,
): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const resolved = repo.resolve(revision);
  if (!resolved) {
    return revisionNotFound(revision);
  }
  let paths: string[];
  let expand: boolean;
  if ((ctx.request.headers.get("content-type") ?? "").includes("application/json")) {
    const body = (await ctx.request.json().catch(() => undefined)) as { paths?: unknown; expand?: unknown } | undefined;
    paths = Array.isArray(body?.paths) ? body.paths.filter((p): p is string => typeof p === "string") : [];
    expand = body?.expand === true;
  } else {
    const form = new URLSearchParams(await ctx.request.text());
    paths = form.getAll("paths");
    expand = form.get("expand") === "True" || form.get("expand") === "true";
  }
  if (paths.length === 0) {
    return hubError(400, "Expected a list of paths");
  }
  return jsonResponse(addXetHashes(treeEntries(repo, resolved.commit, { paths }, expand) ?? [], ctx.hub.xet));
}
