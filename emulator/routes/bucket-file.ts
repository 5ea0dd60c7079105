import { Readable } from "node:stream";
import { hubError } from "../hub-error.js";
import { parseRange } from "../parse-range.js";
import type { RouteContext } from "../route-context.js";
import type { XetCas } from "../xet/xet-cas.js";

/**
 * `GET|HEAD /buckets/{id}/resolve/{path}`: a bucket file's bytes, rebuilt from Xet storage and streamed
 * (with `Range`), and what a client needs to download it through Xet instead: `X-Xet-Hash`, and a
 * `Link` to the bucket's read-token route (rel "xet-auth") and to its reconstruction.
 */
export function bucketFileRoute(ctx: RouteContext, xet: XetCas, id: string, filePath: string): Response {
  const bucket = ctx.hub.bucketAccess(ctx, id, "read");
  if (bucket instanceof Response) {
    return bucket;
  }
  const file = bucket.files.get(filePath);
  const stored = file && xet.catalog.files.get(file.xetHash);
  if (!file || !stored) {
    return hubError(404, "Entry not found", "EntryNotFound");
  }
  const refreshUrl = `${ctx.origin}/api/buckets/${bucket.id}/xet-read-token`;
  const reconstructionUrl = `${xet.casUrl(ctx.origin)}/v1/reconstructions/${stored.hash}`;
  const headers: Record<string, string> = {
    "accept-ranges": "bytes",
    "content-type": file.contentType ?? "application/octet-stream",
    etag: `"${stored.hash}"`,
    "x-xet-hash": stored.hash,
    link: `<${refreshUrl}>; rel="xet-auth", <${reconstructionUrl}>; rel="xet-reconstruction-info"`,
  };
  const range = parseRange(ctx.request.headers.get("range"), stored.size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${stored.size}` } });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? stored.size - 1;
  headers["content-length"] = String(Math.max(0, end - start + 1));
  if (range) {
    headers["content-range"] = `bytes ${start}-${end}/${stored.size}`;
  }
  const status = range ? 206 : 200;
  if (ctx.request.method === "HEAD") {
    return new Response(null, { status, headers });
  }
  const body = Readable.toWeb(Readable.from(xet.read(stored, start, end + 1))) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
