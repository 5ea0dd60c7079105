import { bucketKey } from "../bucket-key.js";
import { hubError } from "../hub-error.js";
import { invalidRepoPath } from "../invalid-repo-path.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";
import type { FakeBucket, FakeBucketFile } from "../types.js";
import type { XetCas } from "../xet/xet-cas.js";

type Failure = { path: string; error: string };

const XET_HASH = /^[0-9a-f]{64}$/;

/**
 * The source of a copyFile: the Xet key of a repo or bucket the user may read, or why not. A copy names
 * content by Xet hash, so only a hash that source holds may be copied out of it.
 */
function copySource(ctx: RouteContext, type: unknown, id: unknown): { key: string } | { error: string } {
  if (typeof id !== "string" || id === "") {
    return { error: "sourceRepoId must be the id of a repo or bucket" };
  }
  if (type === "bucket") {
    const bucket = ctx.hub.bucketAccess(ctx, id, "read");
    return bucket instanceof Response ? { error: `source bucket ${id} not found` } : { key: bucketKey(bucket.id) };
  }
  if (type === "model" || type === "dataset") {
    const repo = ctx.hub.access(ctx, type, id, "download");
    return repo instanceof Response ? { error: `source ${type} ${id} not found` } : { key: repo.key };
  }
  return {
    error: `sourceRepoType must be "model", "dataset" or "bucket" (Spaces are not emulated), got ${JSON.stringify(type)}`,
  };
}

/** One operation applied to the bucket, or why it was refused (the bucket then stays as it was for that path). */
function apply(ctx: RouteContext, xet: XetCas, bucket: FakeBucket, op: Record<string, unknown>): Failure | undefined {
  const filePath = typeof op.path === "string" ? op.path : "";
  const bad = invalidRepoPath(filePath);
  if (bad !== undefined) {
    return { path: filePath, error: `invalid path: ${bad}` };
  }
  if (op.type === "deleteFile") {
    bucket.files.delete(filePath);
    return undefined;
  }
  if (op.type !== "addFile" && op.type !== "copyFile") {
    return { path: filePath, error: `unknown operation ${JSON.stringify(op.type)} (addFile, copyFile or deleteFile)` };
  }
  const hash = typeof op.xetHash === "string" ? op.xetHash : "";
  const stored = XET_HASH.test(hash) ? xet.catalog.files.get(hash) : undefined;
  // An added file must have been uploaded for this bucket (its shard registered with the bucket's write
  // token) or be held by it already; a copied one must be held by its source.
  const from =
    op.type === "copyFile" ? copySource(ctx, op.sourceRepoType, op.sourceRepoId) : { key: bucketKey(bucket.id) };
  if ("error" in from) {
    return { path: filePath, error: from.error };
  }
  if (!stored || !xet.mayRead(from.key, stored)) {
    return {
      path: filePath,
      error:
        op.type === "addFile"
          ? `xetHash ${JSON.stringify(hash)} is not a Xet file uploaded for this bucket`
          : `xetHash ${JSON.stringify(hash)} is not a file of ${String(op.sourceRepoType)} ${String(op.sourceRepoId)}`,
    };
  }
  const now = new Date();
  const file: FakeBucketFile = {
    xetHash: stored.hash,
    size: stored.size,
    mtime: new Date(typeof op.mtime === "number" && Number.isFinite(op.mtime) ? op.mtime : now.getTime()).toISOString(),
    uploadedAt: now.toISOString(),
    contentType: typeof op.contentType === "string" ? op.contentType : undefined,
  };
  bucket.files.set(filePath, file);
  return undefined;
}

/**
 * `POST /api/buckets/{id}/batch`, NDJSON of `{type: "addFile", path, xetHash, mtime, contentType?}`,
 * `{type: "copyFile", path, xetHash, mtime, sourceRepoType, sourceRepoId}` and `{type: "deleteFile",
 * path}`, applied in order and not as a transaction: the answer lists the operations refused
 * (`{failed: [{path, error}]}`), with 200 when some were applied and 422 when none was.
 */
export async function bucketBatchRoute(ctx: RouteContext, xet: XetCas, id: string): Promise<Response> {
  const bucket = ctx.hub.bucketAccess(ctx, id, "write");
  if (bucket instanceof Response) {
    return bucket;
  }
  const lines = (await ctx.request.text()).split("\n").filter((line) => line.trim() !== "");
  if (lines.length === 0) {
    return hubError(400, "Expected NDJSON operations (addFile, copyFile, deleteFile), one per line");
  }
  const failed: Failure[] = [];
  for (const line of lines) {
    let op: unknown;
    try {
      op = JSON.parse(line);
    } catch {
      failed.push({ path: "", error: `not JSON: ${line.slice(0, 100)}` });
      continue;
    }
    const failure =
      op !== null && typeof op === "object" && !Array.isArray(op)
        ? apply(ctx, xet, bucket, op as Record<string, unknown>)
        : { path: "", error: "an operation must be a JSON object" };
    if (failure) {
      failed.push(failure);
    }
  }
  if (failed.length < lines.length) {
    await ctx.hub.save();
  }
  return jsonResponse({ failed }, failed.length === lines.length ? 422 : 200);
}
