import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/** `DELETE /api/repos/delete` `{name, organization?, type?}`. */
export async function deleteRepoRoute(ctx: RouteContext): Promise<Response> {
  if (!ctx.user) {
    return hubError(401, "You must be authenticated to delete a repo");
  }
  const body = (await ctx.request.json().catch(() => ({}))) as {
    name?: unknown;
    organization?: unknown;
    type?: unknown;
  };
  const type = body.type ?? "model";
  if (type !== "model" && type !== "dataset") {
    return hubError(400, `Invalid repo type ${JSON.stringify(type)}`);
  }
  const namespace =
    typeof body.organization === "string" && body.organization !== "" ? body.organization : ctx.user.name;
  const id = `${namespace}/${typeof body.name === "string" ? body.name : ""}`;
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  ctx.hub.repos.delete(repo.key);
  await ctx.hub.save();
  return jsonResponse({});
}
