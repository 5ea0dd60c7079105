import { commitTarget } from "../commit-target.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

const LFS_EXTENSIONS =
  /\.(safetensors|bin|pt|pth|ckpt|gguf|h5|msgpack|onnx|npz|npy|pkl|pickle|zip|tar|gz|tgz|model|parquet|arrow)$/i;

/**
 * `POST /api/{type}s/{id}/preupload/{rev}`: the Hub decides, per file, regular (inline in the commit)
 * or LFS, and reports the oid it already stores at that path so clients can skip unchanged files.
 */
export async function preuploadRoute(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  revision: string,
): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  const target = commitTarget(repo, revision);
  if (!target) {
    return revisionNotFound(revision);
  }
  const body = (await ctx.request.json().catch(() => undefined)) as
    { files?: Array<{ path: string; size: number; sample: string }> } | undefined;
  if (!Array.isArray(body?.files)) {
    return hubError(400, 'Expected a JSON body {"files": [{"path", "size", "sample"}]}');
  }
  const threshold = ctx.hub.options.lfsThreshold ?? 10 * 1024 * 1024;
  const tree = repo.treeAt(target.commit);
  return jsonResponse({
    files: body.files.map((file) => {
      const sample = Buffer.from(file.sample, "base64");
      const lfs = file.size >= threshold || LFS_EXTENSIONS.test(file.path) || sample.includes(0);
      const existing = tree.get(file.path);
      return {
        path: file.path,
        uploadMode: lfs ? "lfs" : "regular",
        shouldIgnore: false,
        ...(existing ? { oid: existing.lfs?.oid ?? existing.gitOid } : {}),
      };
    }),
  });
}
