import { addCommit } from "./add-commit.js";
import type { FakeRepo } from "./fake-repo.js";
import type { FakeCommit, FakeFile, FakePullRequest } from "./types.js";

const same = (a: FakeFile | undefined, b: FakeFile | undefined): boolean =>
  a?.gitOid === b?.gitOid && a?.lfs?.oid === b?.lfs?.oid;

/**
 * Merges a pull request into its target branch as one commit (titled with the pull request's title)
 * holding the files the pull request changed since it started, applied on top of the branch as it is
 * now. Returns the commit, or the paths both sides changed differently (nothing is merged then).
 */
export function mergePullRequest(
  repo: FakeRepo,
  pr: FakePullRequest,
  author: string,
): { commit: FakeCommit } | { conflicts: string[] } | { missingBranch: string } {
  if (!repo.branches.has(pr.target)) {
    return { missingBranch: pr.target };
  }
  const targetHead = repo.branches.get(pr.target);
  const base = repo.treeAt(pr.base);
  const head = repo.treeAt(pr.head);
  const target = repo.treeAt(targetHead);
  const merged = new Map(target);
  const operations: FakeCommit["operations"] = [];
  const conflicts: string[] = [];
  for (const filePath of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const theirs = head.get(filePath);
    if (same(base.get(filePath), theirs)) {
      continue;
    }
    if (!same(base.get(filePath), target.get(filePath)) && !same(target.get(filePath), theirs)) {
      conflicts.push(filePath);
      continue;
    }
    if (theirs === undefined) {
      merged.delete(filePath);
      operations.push({ key: "deletedFile", path: filePath });
    } else {
      merged.set(filePath, theirs);
      operations.push({ key: theirs.lfs ? "lfsFile" : "file", path: filePath });
    }
  }
  if (conflicts.length > 0) {
    return { conflicts };
  }
  const commit = addCommit(repo, {
    title: pr.title,
    description: "",
    parent: targetHead,
    declaredParent: undefined,
    branch: pr.target,
    pullRequest: false,
    author,
    operations,
    files: merged,
  });
  repo.branches.set(pr.target, commit.oid);
  return { commit };
}
