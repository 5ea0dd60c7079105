import { commitTarget } from "../commit-target.js";
import { hubError } from "../hub-error.js";
import { ignoredByGitignore } from "../ignored-by-gitignore.js";
import { invalidRepoPath } from "../invalid-repo-path.js";
import { jsonResponse } from "../json-response.js";
import { lfsRuleFor } from "../lfs-rule-for.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { FakeFile, RepoType } from "../types.js";

const textOf = (file: FakeFile | undefined): string => file?.content?.toString("utf8") ?? "";

/**
 * `POST /api/{type}s/{id}/preupload/{rev}` `{files: [{path, size, sample}], gitAttributes?, gitIgnore?}`:
 * the Hub decides, per file, regular (inline in the commit) or LFS, by the repo's `.gitattributes` (or
 * the one in the commit), then by size and binary content; an empty file is always regular. It says
 * which files the `.gitignore` ignores, and reports the oid it already stores at each path so clients
 * can skip unchanged files. A path the Hub would refuse is refused here already (422).
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
    | { files?: Array<{ path: string; size: number; sample: string }>; gitAttributes?: unknown; gitIgnore?: unknown }
    | undefined;
  if (!Array.isArray(body?.files)) {
    return hubError(400, 'Expected a JSON body {"files": [{"path", "size", "sample"}]}');
  }
  for (const file of body.files) {
    const problem = invalidRepoPath(String(file.path));
    if (problem !== undefined) {
      return hubError(422, `Invalid path ${JSON.stringify(file.path)}: ${problem}`);
    }
  }
  const threshold = ctx.hub.options.lfsThreshold ?? 10 * 1024 * 1024;
  const tree = repo.treeAt(target.commit);
  const lfsRule = lfsRuleFor(
    typeof body.gitAttributes === "string" ? body.gitAttributes : textOf(tree.get(".gitattributes")),
  );
  const ignored = ignoredByGitignore(
    typeof body.gitIgnore === "string" ? body.gitIgnore : textOf(tree.get(".gitignore")),
  );
  return jsonResponse({
    files: body.files.map((file) => {
      const rule = lfsRule(file.path);
      const binary = Buffer.from(file.sample, "base64").includes(0);
      const lfs = file.size > 0 && (rule === true || file.size >= threshold || (rule === undefined && binary));
      const existing = tree.get(file.path);
      return {
        path: file.path,
        uploadMode: lfs ? "lfs" : "regular",
        shouldIgnore: ignored(file.path),
        ...(existing ? { oid: existing.lfs?.oid ?? existing.gitOid } : {}),
      };
    }),
  });
}
