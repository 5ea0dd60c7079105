import { hubError } from "../hub-error.js";
import { isMember } from "../is-member.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9])){0,95}$/;

/**
 * `POST /api/repos/move` `{fromRepo, toRepo, type}`: renames a repo (or, with type "bucket", a
 * storage bucket) or moves it to another namespace the user can write to; its history, refs and
 * discussions (a bucket's files) go with it. 409 when the target exists.
 */
export async function moveRepoRoute(ctx: RouteContext): Promise<Response> {
  const body = (await ctx.request.json().catch(() => undefined)) as
    { fromRepo?: unknown; toRepo?: unknown; type?: unknown } | undefined;
  const type = body?.type ?? "model";
  if (type !== "model" && type !== "dataset" && !(type === "bucket" && ctx.hub.xet)) {
    return hubError(
      400,
      `Invalid repo type ${JSON.stringify(type)}: the emulator serves model and dataset repos and buckets`,
    );
  }
  const from = typeof body?.fromRepo === "string" ? body.fromRepo : "";
  const to = typeof body?.toRepo === "string" ? body.toRepo : "";
  if (!REPO_ID.test(from) || !REPO_ID.test(to)) {
    return hubError(400, "fromRepo and toRepo must be repo ids (namespace/name)");
  }
  const [namespace = ""] = to.split("/");
  if (type === "bucket") {
    const bucket = ctx.hub.bucketAccess(ctx, from, "write");
    if (bucket instanceof Response) {
      return bucket;
    }
    if (!isMember(ctx.user, namespace)) {
      return hubError(403, `You don't have the rights to create a bucket under the namespace "${namespace}"`);
    }
    const taken = ctx.hub.bucket(to);
    if (taken !== undefined && taken !== bucket) {
      return hubError(409, `A bucket called ${taken.id} already exists`);
    }
    ctx.hub.buckets.delete(bucket.id);
    bucket.id = to;
    ctx.hub.buckets.set(bucket.id, bucket);
    await ctx.hub.save();
    return jsonResponse({});
  }
  const repo = ctx.hub.access(ctx, type, from, "write");
  if (repo instanceof Response) {
    return repo;
  }
  if (!isMember(ctx.user, namespace)) {
    return hubError(403, `You don't have the rights to create a ${type} under the namespace "${namespace}"`);
  }
  const existing = ctx.hub.repo(type, to);
  if (existing !== undefined && existing !== repo) {
    return hubError(409, `A ${type} repository called ${existing.id} already exists`);
  }
  ctx.hub.repos.delete(repo.key);
  repo.id = to;
  ctx.hub.repos.set(repo.key, repo);
  await ctx.hub.save();
  return jsonResponse({});
}
