import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { RepoType } from "../types.js";

const BRANCH_NAME = /^(?!refs\/)(?!.*\.\.)(?!.*\/\/)[\w.-][\w./-]*(?<![./])$/;

/**
 * `POST /api/{type}s/{id}/branch/{name}` `{startingPoint?, emptyBranch?, overwrite?}` creates a branch
 * at a revision (default: main's head); 409 "Reference refs/heads/x already exists" unless overwrite.
 * `DELETE` removes it; main cannot be deleted, and an unknown branch is an unknown revision.
 */
export async function branchRoute(ctx: RouteContext, type: RepoType, id: string, name: string): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  if (ctx.request.method === "DELETE") {
    if (name === "main") {
      return hubError(403, "Cannot delete refs/heads/main");
    }
    if (!repo.branches.has(name)) {
      return revisionNotFound(name);
    }
    repo.branches.delete(name);
    await ctx.hub.save();
    return jsonResponse({});
  }
  if (!BRANCH_NAME.test(name)) {
    return hubError(400, `Invalid reference for a branch: ${name}`);
  }
  const body = (await ctx.request.json().catch(() => ({}))) as {
    startingPoint?: unknown;
    emptyBranch?: unknown;
    overwrite?: unknown;
  };
  if (repo.branches.has(name) && body.overwrite !== true) {
    return hubError(409, `Reference refs/heads/${name} already exists`);
  }
  let commit: string | undefined;
  if (body.emptyBranch !== true) {
    const start = typeof body.startingPoint === "string" && body.startingPoint !== "" ? body.startingPoint : "main";
    const resolved = repo.resolve(start);
    if (!resolved) {
      return revisionNotFound(start);
    }
    commit = resolved.commit;
  }
  repo.branches.set(name, commit);
  await ctx.hub.save();
  return jsonResponse({});
}
