import { bucketTreeEntries } from "../bucket-tree-entries.js";
import { jsonPage } from "../json-page.js";
import type { RouteContext } from "../route-context.js";

/**
 * `GET /api/buckets/{id}/tree[/{prefix}]?recursive=`: the bucket's files under a prefix, every file
 * below it unless `recursive` is false (then the folder's own files and folders), paginated through `Link`.
 */
export function bucketTreeRoute(ctx: RouteContext, id: string, prefix: string): Response {
  const bucket = ctx.hub.bucketAccess(ctx, id, "read");
  if (bucket instanceof Response) {
    return bucket;
  }
  const recursive = !["false", "False", "0"].includes(ctx.url.searchParams.get("recursive") ?? "");
  return jsonPage(ctx, bucketTreeEntries(bucket, prefix, recursive));
}
