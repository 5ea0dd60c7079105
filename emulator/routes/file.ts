import { Readable } from "node:stream";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { lfsPointer } from "../lfs-pointer.js";
import type { HubRoute } from "../parse-hub-path.js";
import { parseRange } from "../parse-range.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";

/**
 * `GET|HEAD /{id}/resolve/{rev}/{path}` (and `/datasets/{id}/...`): a file's bytes at any revision, with
 * the headers download clients read (`X-Repo-Commit`, `ETag`, `X-Linked-Size`/`X-Linked-ETag` for LFS)
 * and `Range` support. `/raw/` answers the LFS pointer instead of the content, as the Hub does.
 * With Xet on, an LFS file also carries what a client needs to download it through Xet (Xet spec
 * "Getting a Xet File ID"): `X-Xet-Hash`, and a `Link` to the read-token route (rel "xet-auth") and
 * to its reconstruction (rel "xet-reconstruction-info"); a client that accepts
 * `application/vnd.xet-fileinfo+json` (@huggingface/hub) gets those headers and no content. The
 * bytes of a file stored only in Xet are rebuilt from its xorbs, streamed.
 */
export async function fileRoute(ctx: RouteContext, route: Extract<HubRoute, { kind: "file" }>): Promise<Response> {
  const repo = ctx.hub.access(ctx, route.type, route.id, "download");
  if (repo instanceof Response) {
    return repo;
  }
  const resolved = repo.resolve(route.revision);
  if (!resolved) {
    return revisionNotFound(route.revision);
  }
  const file = repo.treeAt(resolved.commit).get(route.path);
  if (!file) {
    return hubError(404, "Entry not found", "EntryNotFound");
  }
  const raw = route.mode === "raw" && file.lfs !== undefined;
  const size = raw && file.lfs ? lfsPointer(file.lfs.oid, file.lfs.size).byteLength : file.size;
  const headers: Record<string, string> = {
    "accept-ranges": "bytes",
    "content-type": "application/octet-stream",
    "x-repo-commit": resolved.commit ?? "",
    etag: `"${file.lfs && !raw ? file.lfs.oid : file.gitOid}"`,
    ...(file.lfs && !raw ? { "x-linked-size": String(file.lfs.size), "x-linked-etag": `"${file.lfs.oid}"` } : {}),
  };
  const xet = ctx.hub.xet;
  const accept = ctx.request.headers.get("accept") ?? "";
  // A client that may download through Xet asks HEAD first (huggingface_hub) or accepts the file info
  // (hub.js): an LFS-uploaded file is converted then. A plain GET of one still in the LFS store is
  // served from there, converting nothing.
  const mayUseXet = ctx.request.method === "HEAD" || accept.includes("application/vnd.xet-fileinfo+json");
  const lfsFile = raw ? undefined : file.lfs;
  const known = lfsFile && xet?.fileBySha256(lfsFile.oid);
  const xetFile =
    lfsFile && mayUseXet ? await ctx.hub.xetFileOf(lfsFile) : known && known.size === lfsFile?.size ? known : undefined;
  if (xetFile && xet) {
    const refreshUrl = `${ctx.origin}/api/${route.type}s/${route.id}/xet-read-token/${resolved.commit ?? ""}`;
    const reconstructionUrl = `${xet.casUrl(ctx.origin)}/v1/reconstructions/${xetFile.hash}`;
    headers["x-xet-hash"] = xetFile.hash;
    headers.link = `<${refreshUrl}>; rel="xet-auth", <${reconstructionUrl}>; rel="xet-reconstruction-info"`;
    if (accept.includes("application/vnd.xet-fileinfo+json")) {
      const { "content-type": _, "accept-ranges": __, ...xetHeaders } = headers;
      return jsonResponse(
        { hash: xetFile.hash, size: xetFile.size, etag: file.lfs?.oid, refreshUrl, reconstructionUrl },
        200,
        { ...xetHeaders, "content-type": "application/vnd.xet-fileinfo+json" },
      );
    }
  }
  const range = parseRange(ctx.request.headers.get("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers["content-length"] = String(Math.max(0, end - start + 1));
  if (range) {
    headers["content-range"] = `bytes ${start}-${end}/${size}`;
  }
  const status = range ? 206 : 200;
  if (ctx.request.method === "HEAD") {
    return new Response(null, { status, headers });
  }
  const lfsObject = file.lfs && ctx.hub.lfs.get(file.lfs.oid);
  const inLfsStore = lfsObject !== undefined && (lfsObject.content !== undefined || lfsObject.file !== undefined);
  if (xetFile && xet && !inLfsStore) {
    const body = Readable.toWeb(Readable.from(xet.read(xetFile, start, end + 1))) as ReadableStream<Uint8Array>;
    return new Response(body, { status, headers });
  }
  const bytes =
    raw && file.lfs
      ? lfsPointer(file.lfs.oid, file.lfs.size)
      : await ctx.hub.bytesOf(file, `${repo.key}/${route.path}`);
  return new Response(new Uint8Array(bytes.subarray(start, end + 1)), { status, headers });
}
