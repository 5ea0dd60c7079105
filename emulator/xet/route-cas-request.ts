import { authorize } from "./authorize.js";
import { casError } from "./cas-error.js";
import type { CasRequest, CasServer } from "./cas-server.js";
import { fetchXorbRanges } from "./fetch-xorb-ranges.js";
import { getReconstruction } from "./get-reconstruction.js";
import { queryChunk } from "./query-chunk.js";
import { uploadShard } from "./upload-shard.js";
import { uploadXorb } from "./upload-xorb.js";

/**
 * The CAS router (spec "CAS API", paths after the casUrl): xorb upload and existence, shard upload (v1,
 * and v2 with progress events), global chunk dedup, file reconstruction (v2, and v1), file existence,
 * and the signed xorb fetches reconstruction answers point to. Anything else is 404.
 */
export async function routeCasRequest(cas: CasServer, req: CasRequest): Promise<Response> {
  const method = req.request.method;
  const parts = req.url.pathname.slice(new URL(req.base).pathname.length).split("/").slice(1);
  const [version, kind, a, b] = parts;
  const is = (m: string, v: string, k: string, length: number): boolean =>
    method === m && version === v && kind === k && parts.length === length;

  if (is("POST", "v1", "xorbs", 4)) {
    return uploadXorb(cas, req, a ?? "", b ?? "");
  }
  if (is("HEAD", "v1", "xorbs", 4)) {
    return headXorb(cas, req, b ?? "");
  }
  if (is("POST", "v1", "shards", 2) || is("POST", "v2", "shards", 2)) {
    return uploadShard(cas, req, version === "v2");
  }
  if (is("GET", "v1", "chunks", 4)) {
    return queryChunk(cas, req, a ?? "", b ?? "");
  }
  if (is("GET", "v1", "reconstructions", 3) || is("GET", "v2", "reconstructions", 3)) {
    return getReconstruction(cas, req, a ?? "", version === "v2" ? 2 : 1);
  }
  if (is("HEAD", "v1", "files", 3)) {
    return headFile(cas, req, a ?? "");
  }
  if (method === "GET" && version === "transfer" && kind === "xorbs" && a === "default" && parts.length === 4) {
    return fetchXorbRanges(cas, req, b ?? "");
  }
  return casError(404, `no CAS route for ${method} ${req.url.pathname}`);
}

/** `HEAD /v1/xorbs/default/{hash}`: 200 with the xorb's serialized length, or 404. */
function headXorb(cas: CasServer, req: CasRequest, hash: string): Response {
  const grant = authorize(cas, req.request, "read");
  if (grant instanceof Response) {
    return grant;
  }
  const xorb = cas.store.get(hash);
  return xorb
    ? new Response(null, { status: 200, headers: { "content-length": String(xorb.serializedBytes) } })
    : new Response(null, { status: /^[0-9a-f]{64}$/.test(hash) ? 404 : 400 });
}

/** `HEAD /v1/files/{id}`: 200 with the file's size, or 404 (also for a file this token's repo cannot read). */
function headFile(cas: CasServer, req: CasRequest, id: string): Response {
  const grant = authorize(cas, req.request, "read");
  if (grant instanceof Response) {
    return grant;
  }
  const file = cas.catalog.files.get(id);
  return file && cas.mayRead(grant.repo, file)
    ? new Response(null, { status: 200, headers: { "content-length": String(file.size) } })
    : new Response(null, { status: /^[0-9a-f]{64}$/.test(id) ? 404 : 400 });
}
