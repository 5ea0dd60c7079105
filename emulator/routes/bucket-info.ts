import { bucketInfoJson } from "../bucket-info-json.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/** `GET /api/buckets/{id}`: the bucket's visibility, creation date, total size and number of files. */
export function bucketInfoRoute(ctx: RouteContext, id: string): Response {
  const bucket = ctx.hub.bucketAccess(ctx, id, "read");
  return bucket instanceof Response ? bucket : jsonResponse(bucketInfoJson(bucket));
}
