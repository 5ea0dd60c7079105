import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";
import { refNameProblem } from "../../src/util/ref-name-problem.js";

/**
 * `POST /api/{type}s/{id}/tag/{revision}` `{tag, message?}` tags the commit a revision (branch, tag,
 * `refs/pr/N`, full or short oid) points at; 400 for a name git refuses as a ref (`git check-ref-format`:
 * spaces, `..`, `~`, `^`, `:`, `@{`, a `.lock` part, ...) or one that starts with `refs/`; 409 if the tag
 * exists. `DELETE /api/{type}s/{id}/tag/{tag}`
 * removes a tag; an unknown tag is an unknown revision.
 */
export async function tagRoute(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  revisionOrTag: string,
): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  if (ctx.request.method === "DELETE") {
    if (!repo.tags.delete(revisionOrTag)) {
      return revisionNotFound(revisionOrTag);
    }
    await ctx.hub.save();
    return jsonResponse({});
  }
  const body = (await ctx.request.json().catch(() => ({}))) as { tag?: unknown; message?: unknown };
  const tag = typeof body.tag === "string" ? body.tag : "";
  const resolved = repo.resolve(revisionOrTag);
  if (!resolved || resolved.commit === undefined) {
    return revisionNotFound(revisionOrTag);
  }
  const problem = tag.startsWith("refs/") ? "it starts with refs/" : refNameProblem(tag);
  if (problem !== undefined) {
    return hubError(400, `Invalid tag name: ${JSON.stringify(tag)} (${problem})`);
  }
  if (repo.tags.has(tag)) {
    return hubError(409, `Reference refs/tags/${tag} already exists`);
  }
  repo.tags.set(tag, { commit: resolved.commit, message: typeof body.message === "string" ? body.message : "" });
  await ctx.hub.save();
  return jsonResponse({});
}
