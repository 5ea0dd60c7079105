import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * `POST /{id}.git/info/lfs/objects/batch` (models) and `/datasets/{id}.git/...` (datasets): where to
 * PUT each object. Stored objects get no `actions` (the client skips them); objects larger than
 * `multipartChunkSize` get multipart part URLs. The transfer is always "basic": no Xet.
 */
export async function lfsBatchRoute(ctx: RouteContext, type: RepoType, id: string): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  const body = (await ctx.request.json().catch(() => undefined)) as
    { operation?: string; objects?: Array<{ oid: string; size: number }> } | undefined;
  if (body?.operation !== "upload" || !Array.isArray(body.objects)) {
    return hubError(400, "only uploads are supported");
  }
  const chunk = ctx.hub.options.multipartChunkSize;
  const origin = ctx.origin;
  return jsonResponse(
    {
      transfer: "basic",
      objects: body.objects.map((object) => {
        if (!SHA256.test(object.oid)) {
          return { ...object, error: { code: 422, message: "invalid oid" } };
        }
        if (ctx.hub.lfsStore.has(object.oid, object.size)) {
          return { oid: object.oid, size: object.size, authenticated: true };
        }
        if (chunk !== undefined && object.size > chunk) {
          const header: Record<string, string> = { chunk_size: String(chunk) };
          const count = Math.ceil(object.size / chunk);
          for (let i = 1; i <= count; i++) {
            header[String(i).padStart(5, "0")] = `${origin}/__lfs/${object.oid}/part/${i}`;
          }
          return {
            oid: object.oid,
            size: object.size,
            authenticated: true,
            actions: { upload: { href: `${origin}/__lfs/${object.oid}/complete`, header } },
          };
        }
        return {
          oid: object.oid,
          size: object.size,
          authenticated: true,
          actions: { upload: { href: `${origin}/__lfs/${object.oid}` } },
        };
      }),
    },
    200,
    { "content-type": "application/vnd.git-lfs+json" },
  );
}
