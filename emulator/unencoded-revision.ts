import { revisionNotFound } from "./revision-not-found.js";
import type { RouteContext } from "./route-context.js";
import type { RepoType } from "./types.js";

/**
 * The answer to a revision sent with an unencoded slash (`/preupload/refs/pr/1`, `/commits/feature/x`):
 * the Hub reads only the first segment as the revision, so an unknown one is "Invalid rev id: refs",
 * and a known one followed by more path matches no route (undefined: the caller's 404).
 */
export function unencodedRevision(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  revision: string,
): Response | undefined {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  return repo.resolve(revision) === undefined ? revisionNotFound(revision) : undefined;
}
