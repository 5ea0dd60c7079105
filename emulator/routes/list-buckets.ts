import { bucketInfoJson } from "../bucket-info-json.js";
import { hubError } from "../hub-error.js";
import { isMember } from "../is-member.js";
import { jsonPage } from "../json-page.js";
import type { RouteContext } from "../route-context.js";

/**
 * `GET /api/buckets/{namespace}?search=`: the buckets of a namespace ("me": the token's user), oldest
 * first, private ones only to members, paginated through `Link`. A namespace that is no user or org is
 * 404 (so is `bucket_info("name")`, a bucket id without its namespace, which asks this route).
 */
export function listBucketsRoute(ctx: RouteContext, given: string): Response {
  if (given === "me" && ctx.user === undefined) {
    return hubError(401, "You must be authenticated to list your buckets");
  }
  const namespace = (given === "me" ? (ctx.user?.name ?? "") : given).toLowerCase();
  const known =
    Object.values(ctx.hub.users).some((user) => isMember(user, namespace)) ||
    [...ctx.hub.buckets.keys()].some((id) => id.split("/")[0]?.toLowerCase() === namespace);
  if (!known) {
    return hubError(404, `Namespace ${given} not found`);
  }
  const search = ctx.url.searchParams.get("search")?.toLowerCase();
  const member = isMember(ctx.user, namespace);
  const visible = [...ctx.hub.buckets.values()].filter(
    (bucket) =>
      bucket.id.split("/")[0]?.toLowerCase() === namespace &&
      (!bucket.private || member) &&
      (search === undefined || bucket.id.toLowerCase().includes(search)),
  );
  return jsonPage(ctx, visible, (page) => page.map(bucketInfoJson));
}
