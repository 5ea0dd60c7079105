import type { FakeRepo, ResolvedRevision } from "./fake-repo.js";

/**
 * Where a commit may go: a branch (by name or `refs/heads/x`) or an open pull request (`refs/pr/N`).
 * A tag or a bare commit is not a target: the Hub answers those as an unknown revision.
 */
export function commitTarget(repo: FakeRepo, revision: string): ResolvedRevision | undefined {
  const resolved = repo.resolve(revision);
  if (resolved?.kind === "branch" || resolved?.kind === "pr") {
    return resolved;
  }
  return undefined;
}
