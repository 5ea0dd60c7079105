import { jsonResponse } from "../json-response.js";
import { lfsPointer } from "../lfs-pointer.js";
import { readCardData } from "../read-card-data.js";
import { repoSummaryJson } from "../repo-summary-json.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

/**
 * `GET /api/{type}s/{id}` and `/api/{type}s/{id}/revision/{rev}`: the repo info huggingface_hub's
 * model_info/dataset_info/repo_info and @huggingface/hub's modelInfo/datasetInfo read (`sha` of the
 * revision, `private`, `gated`, `siblings`, `cardData`, ...). `?blobs=true` adds sizes and LFS info.
 */
export async function repoInfoRoute(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  revision: string | undefined,
): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const resolved = repo.resolve(revision ?? "main");
  if (!resolved) {
    return revisionNotFound(revision ?? "main");
  }
  const tree = repo.treeAt(resolved.commit);
  const readme = tree.get("README.md");
  const cardData =
    readme === undefined ? undefined : readCardData((await ctx.hub.bytesOf(readme, "README.md")).toString("utf8"));
  const blobs = ctx.url.searchParams.get("blobs") === "true";
  const siblings = [...tree]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rfilename, file]) =>
      blobs
        ? {
            rfilename,
            size: file.size,
            blobId: file.gitOid,
            ...(file.lfs
              ? {
                  lfs: {
                    sha256: file.lfs.oid,
                    size: file.lfs.size,
                    pointerSize: lfsPointer(file.lfs.oid, file.lfs.size).byteLength,
                  },
                }
              : {}),
          }
        : { rfilename },
    );
  return jsonResponse({
    ...repoSummaryJson(repo, resolved.commit),
    tags: Array.isArray(cardData?.tags) ? cardData.tags : [],
    ...(type === "model"
      ? {
          ...(typeof cardData?.library_name === "string" ? { library_name: cardData.library_name } : {}),
          ...(typeof cardData?.pipeline_tag === "string" ? { pipeline_tag: cardData.pipeline_tag } : {}),
        }
      : {}),
    ...(cardData ? { cardData } : {}),
    siblings,
  });
}
