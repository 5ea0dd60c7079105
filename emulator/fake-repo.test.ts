import { describe, expect, it } from "vitest";
import { FakeRepo } from "./fake-repo.js";
import type { FakeCommit } from "./types.js";

function commitOn(repo: FakeRepo, oid: string, parent: string | undefined, branch = "main"): FakeCommit {
  const commit: FakeCommit = {
    oid,
    title: oid.slice(0, 4),
    description: "",
    parent,
    declaredParent: undefined,
    branch,
    pullRequest: false,
    date: new Date(0).toISOString(),
    author: "alice",
    operations: [],
    files: new Map(),
  };
  repo.allCommits.set(oid, commit);
  return commit;
}

describe("FakeRepo", () => {
  const a = "a".repeat(40);
  const b = `b${"0".repeat(39)}`;
  const c = `b0000${"1".repeat(35)}`;

  function repoWithHistory(): FakeRepo {
    const repo = new FakeRepo({ type: "dataset", id: "alice/x", private: false });
    commitOn(repo, a, undefined);
    commitOn(repo, b, a);
    commitOn(repo, c, a, "dev");
    repo.branches.set("main", b);
    repo.branches.set("dev", c);
    repo.tags.set("v1", { commit: a, message: "" });
    repo.discussions.set(1, {
      num: 1,
      isPullRequest: true,
      head: c,
      base: a,
      target: "main",
      title: "",
      author: "alice",
      createdAt: "",
      status: "open",
      events: [],
      mergeCommit: undefined,
    });
    return repo;
  }

  it("is keyed datasets/<id> for a dataset, and main's history is oldest first", () => {
    const repo = repoWithHistory();
    expect(repo.key).toBe("datasets/alice/x");
    expect(repo.commits.map((commit) => commit.oid)).toEqual([a, b]);
    expect(repo.history(c).map((commit) => commit.oid)).toEqual([c, a]);
  });

  it.each([
    ["HEAD", { kind: "branch", name: "main", commit: b }],
    ["dev", { kind: "branch", name: "dev", commit: c }],
    ["refs/heads/dev", { kind: "branch", name: "dev", commit: c }],
    ["v1", { kind: "tag", name: "v1", commit: a }],
    ["refs/tags/v1", { kind: "tag", name: "v1", commit: a }],
    ["refs/pr/1", { kind: "pr", name: "refs/pr/1", commit: c }],
    [a, { kind: "commit", name: a, commit: a }],
    ["aaaaaaa", { kind: "commit", name: a, commit: a }],
  ])("resolves %s", (revision, expected) => {
    expect(repoWithHistory().resolve(revision)).toEqual(expected);
  });

  it.each(["nope", "refs/pr/2", "refs/tags/dev", "b0000", "b"])(
    "resolves nothing for %s (unknown or ambiguous)",
    (revision) => {
      expect(repoWithHistory().resolve(revision)).toBeUndefined();
    },
  );
});
