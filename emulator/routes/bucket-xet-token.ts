import { bucketKey } from "../bucket-key.js";
import type { RouteContext } from "../route-context.js";
import type { XetCas } from "../xet/xet-cas.js";
import { xetTokenAnswer } from "../xet-token-answer.js";

/**
 * `GET /api/buckets/{id}/xet-read-token` and `.../xet-write-token` (no revision: a bucket has no
 * history): a CAS token for the bucket, to a user who may read or write it.
 */
export function bucketXetTokenRoute(
  ctx: RouteContext,
  xet: XetCas,
  id: string,
  action: "xet-read-token" | "xet-write-token",
): Response {
  const scope = action === "xet-write-token" ? "write" : "read";
  const bucket = ctx.hub.bucketAccess(ctx, id, scope);
  return bucket instanceof Response ? bucket : xetTokenAnswer(xet, scope, bucketKey(bucket.id), ctx.origin);
}
