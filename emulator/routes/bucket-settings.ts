import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/** `PUT /api/buckets/{id}/settings` `{private}` (huggingface_hub's update_bucket_settings). */
export async function bucketSettingsRoute(ctx: RouteContext, id: string): Promise<Response> {
  const bucket = ctx.hub.bucketAccess(ctx, id, "write");
  if (bucket instanceof Response) {
    return bucket;
  }
  const body = (await ctx.request.json().catch(() => undefined)) as { private?: unknown } | undefined;
  if (typeof body?.private !== "boolean") {
    return hubError(400, 'Expected {"private": true} or {"private": false}');
  }
  bucket.private = body.private;
  await ctx.hub.save();
  return jsonResponse({ private: bucket.private });
}
