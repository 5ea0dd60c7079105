import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";
import type { Gated, RepoType } from "../types.js";

/**
 * `PUT /api/{type}s/{id}/settings` `{private?, visibility?, gated?}` (huggingface_hub's
 * update_repo_settings): `gated` is false, "auto" or "manual"; repo info then reports the new values.
 */
export async function settingsRoute(ctx: RouteContext, type: RepoType, id: string): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  const body = (await ctx.request.json().catch(() => undefined)) as
    { private?: unknown; visibility?: unknown; gated?: unknown } | undefined;
  if (body === undefined || typeof body !== "object") {
    return hubError(400, "Expected a JSON body");
  }
  let isPrivate: boolean | undefined;
  if (body.private !== undefined) {
    if (typeof body.private !== "boolean") {
      return hubError(400, '"private" must be true or false');
    }
    isPrivate = body.private;
  }
  if (body.visibility !== undefined) {
    if (body.visibility !== "public" && body.visibility !== "private") {
      return hubError(400, `"visibility" must be "public" or "private" for a ${type} repo`);
    }
    isPrivate = body.visibility === "private";
  }
  let gated: Gated | undefined;
  if (body.gated !== undefined) {
    if (body.gated !== false && body.gated !== "auto" && body.gated !== "manual") {
      return hubError(400, `"gated" must be false, "auto" or "manual", got ${JSON.stringify(body.gated)}`);
    }
    gated = body.gated;
  }
  if (isPrivate === undefined && gated === undefined) {
    return hubError(400, "Nothing to update: send private, visibility or gated");
  }
  repo.private = isPrivate ?? repo.private;
  repo.gated = gated ?? repo.gated;
  await ctx.hub.save();
  return jsonResponse({ private: repo.private, gated: repo.gated });
}
