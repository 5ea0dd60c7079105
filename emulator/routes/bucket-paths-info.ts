import { bucketFileJson } from "../bucket-file-json.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/** `POST /api/buckets/{id}/paths-info` `{paths}`: the files among `paths`, in that order; other paths are left out. */
export async function bucketPathsInfoRoute(ctx: RouteContext, id: string): Promise<Response> {
  const bucket = ctx.hub.bucketAccess(ctx, id, "read");
  if (bucket instanceof Response) {
    return bucket;
  }
  const body = (await ctx.request.json().catch(() => undefined)) as { paths?: unknown } | undefined;
  const paths = Array.isArray(body?.paths) ? body.paths.filter((p): p is string => typeof p === "string") : [];
  if (paths.length === 0) {
    return hubError(400, 'Expected {"paths": [...]} with at least one path');
  }
  return jsonResponse(
    paths.flatMap((filePath) => {
      const file = bucket.files.get(filePath);
      return file === undefined ? [] : [bucketFileJson(filePath, file)];
    }),
  );
}
