import { randomBytes } from "node:crypto";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * `POST /{id}.git/info/lfs/objects/batch` (models) and `/datasets/{id}.git/...` (datasets): where to
 * PUT each object. Stored objects (as LFS objects or Xet files) get no `actions` (the client skips
 * them); objects larger than `multipartChunkSize` get multipart part URLs. A client that lists "xet"
 * in `transfers` gets `transfer: "xet"` when Xet is on: each object to send gets, instead of a PUT
 * URL, the write-token route as `href` (for refreshes) and a CAS token in `X-Xet-*` headers.
 */
export async function lfsBatchRoute(ctx: RouteContext, type: RepoType, id: string): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  const body = (await ctx.request.json().catch(() => undefined)) as
    | {
        operation?: string;
        transfers?: unknown;
        ref?: { name?: unknown };
        objects?: Array<{ oid: string; size: number }>;
      }
    | undefined;
  if (body?.operation !== "upload" || !Array.isArray(body.objects)) {
    return hubError(400, "only uploads are supported");
  }
  const chunk = ctx.hub.options.multipartChunkSize;
  const origin = ctx.origin;
  const xet = ctx.hub.xet;
  const useXet = xet !== undefined && Array.isArray(body.transfers) && body.transfers.includes("xet");
  let xetAction: { href: string; header: Record<string, string> } | undefined;
  if (useXet) {
    const ref = typeof body.ref?.name === "string" ? body.ref.name : "main";
    const token = xet.issueToken("write", repo.key, origin);
    xetAction = {
      href: `${origin}/api/${type}s/${id}/xet-write-token/${encodeURIComponent(ref)}`,
      header: {
        "X-Xet-Cas-Url": token.casUrl,
        "X-Xet-Access-Token": token.accessToken,
        "X-Xet-Token-Expiration": String(token.exp),
        "X-Xet-Session-Id": randomBytes(16).toString("hex"),
      },
    };
  }
  return jsonResponse(
    {
      transfer: useXet ? "xet" : "basic",
      objects: body.objects.map((object) => {
        if (!SHA256.test(object.oid)) {
          return { ...object, error: { code: 422, message: "invalid oid" } };
        }
        if (
          ctx.hub.lfsStore.has(object.oid, object.size) ||
          ctx.hub.xet?.fileBySha256(object.oid)?.size === object.size
        ) {
          return { oid: object.oid, size: object.size, authenticated: true };
        }
        if (xetAction) {
          return { oid: object.oid, size: object.size, authenticated: true, actions: { upload: xetAction } };
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
