import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/** `DELETE /api/buckets/{id}`: the bucket and its file list go; content other repos or buckets hold stays in Xet. */
export async function deleteBucketRoute(ctx: RouteContext, id: string): Promise<Response> {
  const bucket = ctx.hub.bucketAccess(ctx, id, "write");
  if (bucket instanceof Response) {
    return bucket;
  }
  ctx.hub.buckets.delete(bucket.id);
  await ctx.hub.save();
  return jsonResponse({});
}
