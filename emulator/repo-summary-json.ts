import { createHash } from "node:crypto";
import type { FakeRepo } from "./fake-repo.js";

/**
 * The fields every answer about a repo carries (repo info, the namespace listings): ids, owner, the
 * commit `commit` (main's head by default) and its date, creation date, visibility, gating.
 */
export function repoSummaryJson(repo: FakeRepo, commit = repo.branches.get("main")): Record<string, unknown> {
  const [author] = repo.id.split("/");
  return {
    _id: createHash("sha1").update(repo.key).digest("hex").slice(0, 24),
    id: repo.id,
    ...(repo.type === "model" ? { modelId: repo.id } : {}),
    author,
    sha: commit ?? null,
    lastModified: (commit === undefined ? undefined : repo.allCommits.get(commit)?.date) ?? repo.createdAt,
    createdAt: repo.createdAt,
    private: repo.private,
    gated: repo.gated,
    disabled: false,
    downloads: 0,
    likes: 0,
  };
}
