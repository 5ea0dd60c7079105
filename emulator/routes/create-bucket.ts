import { randomBytes } from "node:crypto";
import { hubError } from "../hub-error.js";
import { isMember } from "../is-member.js";
import { isRepoName } from "../is-repo-name.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/**
 * `POST /api/buckets/{namespace}/{name}` `{private?, region?, resourceGroupId?}`: a new, empty storage
 * bucket; the namespace "me" is the token's user (huggingface_hub sends it for a name without one). A
 * bucket that exists under any case of the id is a 409. The region and resource group are not emulated.
 */
export async function createBucketRoute(ctx: RouteContext, requested: string): Promise<Response> {
  const user = ctx.user;
  if (!user) {
    return hubError(401, "You must be authenticated to create a bucket");
  }
  const text = await ctx.request.text();
  let body: { private?: unknown } | null;
  try {
    body = text.trim() === "" ? {} : (JSON.parse(text) as { private?: unknown } | null);
  } catch {
    body = null;
  }
  if (
    body === null ||
    typeof body !== "object" ||
    Array.isArray(body) ||
    (body.private !== undefined && typeof body.private !== "boolean")
  ) {
    return hubError(400, 'Expected a JSON body such as {"private": true}');
  }
  const slash = requested.indexOf("/");
  const given = requested.slice(0, slash);
  const name = requested.slice(slash + 1);
  const namespace = given === "me" ? user.name : given;
  if (!isRepoName(name)) {
    return hubError(400, "Invalid bucket name: letters, digits, '-', '_' and '.' only, 96 characters at most");
  }
  if (!isMember(user, namespace) || user.canWrite === false) {
    return hubError(403, `You don't have the rights to create a bucket under the namespace "${namespace}"`);
  }
  const id = `${namespace}/${name}`;
  const existing = ctx.hub.bucket(id);
  if (existing) {
    return jsonResponse(
      { error: "You already created this bucket", url: `${ctx.origin}/buckets/${existing.id}` },
      409,
      { "x-error-message": "You already created this bucket" },
    );
  }
  ctx.hub.buckets.set(id, {
    id,
    private: body.private === true,
    createdAt: new Date().toISOString(),
    files: new Map(),
  });
  await ctx.hub.save();
  return jsonResponse({ url: `${ctx.origin}/buckets/${id}`, name: id, id: randomBytes(12).toString("hex") });
}
