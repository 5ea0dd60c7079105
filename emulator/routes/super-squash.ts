import { addCommit } from "../add-commit.js";
import { commitTarget } from "../commit-target.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

/**
 * `POST /api/{type}s/{id}/super-squash/{branch}` `{message}`: the branch (or `refs/pr/N`) becomes one
 * commit holding its current files, with no parent; other refs keep the old history.
 */
export async function superSquashRoute(
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
  if (target === undefined || target.commit === undefined) {
    return revisionNotFound(revision);
  }
  const body = (await ctx.request.json().catch(() => ({}))) as { message?: unknown };
  const message = typeof body.message === "string" ? body.message.trim() : "";
  if (message === "") {
    return hubError(400, "A super-squash needs a commit message");
  }
  const files = repo.treeAt(target.commit);
  const commit = addCommit(repo, {
    title: message,
    description: "",
    parent: undefined,
    declaredParent: undefined,
    branch: target.name,
    pullRequest: target.kind === "pr",
    author: ctx.user?.name ?? "",
    operations: [...files].map(([path, file]) => ({ key: file.lfs ? "lfsFile" : "file", path })),
    files: new Map(files),
  });
  if (target.kind === "pr") {
    const pr = repo.pullRequests.get(Number(target.name.slice("refs/pr/".length)));
    if (pr !== undefined) {
      pr.head = commit.oid;
    }
  } else {
    repo.branches.set(target.name, commit.oid);
  }
  await ctx.hub.save();
  return jsonResponse({ commitId: commit.oid });
}
