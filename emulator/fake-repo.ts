import type { FakeCommit, FakeDiscussion, FakeFile, FakePullRequest, Gated, RepoType } from "./types.js";

/** What a revision names: a branch, a tag, a pull request or a bare commit, and the commit it points at. */
export interface ResolvedRevision {
  kind: "branch" | "tag" | "pr" | "commit";
  /** Branch or tag name, `refs/pr/N`, or the full commit oid. */
  name: string;
  /** The commit it points at; undefined for a branch without commits (main of a fresh repo). */
  commit: string | undefined;
}

const FULL_OID = /^[0-9a-f]{40}$/;
const SHORT_OID = /^[0-9a-f]{5,39}$/;

/**
 * One repo's git state: branches and tags pointing at commits, pull requests (`refs/pr/N`) and every
 * commit with the tree it produced. `files` and `commits` describe main, which is what most tests read.
 */
export class FakeRepo {
  readonly type: RepoType;
  /** "namespace/name", without the "datasets/" prefix, as it was created (lookups ignore case); changed by a move. */
  id: string;
  private: boolean;
  gated: Gated = false;
  readonly createdAt: string;
  /** Branch name → head commit (undefined: no commit yet). */
  readonly branches = new Map<string, string | undefined>();
  readonly tags = new Map<string, { commit: string; message: string }>();
  /** Discussions and pull requests by number (one numbering, as on the Hub). */
  readonly discussions = new Map<number, FakeDiscussion>();
  /** Every commit on any ref, in the order they were made. */
  readonly allCommits = new Map<string, FakeCommit>();

  constructor(params: { type: RepoType; id: string; private: boolean; createdAt?: string }) {
    this.type = params.type;
    this.id = params.id;
    this.private = params.private;
    this.createdAt = params.createdAt ?? new Date().toISOString();
    this.branches.set("main", undefined);
  }

  /** The key of this repo in `FakeHub.repos`: "alice/x" for a model, "datasets/alice/x" for a dataset. */
  get key(): string {
    return this.type === "model" ? this.id : `datasets/${this.id}`;
  }

  /** The pull requests among the discussions, by number. */
  get pullRequests(): Map<number, FakePullRequest> {
    const out = new Map<number, FakePullRequest>();
    for (const [num, discussion] of this.discussions) {
      if (discussion.isPullRequest) {
        out.set(num, discussion);
      }
    }
    return out;
  }

  /** The number the next discussion or pull request gets. */
  nextDiscussionNumber(): number {
    return Math.max(0, ...this.discussions.keys()) + 1;
  }

  /** main's tree. */
  get files(): Map<string, FakeFile> {
    return this.treeAt(this.branches.get("main"));
  }

  /** main's history, oldest first. */
  get commits(): FakeCommit[] {
    return this.history(this.branches.get("main")).reverse();
  }

  treeAt(commit: string | undefined): Map<string, FakeFile> {
    return (commit === undefined ? undefined : this.allCommits.get(commit)?.files) ?? new Map<string, FakeFile>();
  }

  /** The commits reachable from `commit` through their parents, newest first. */
  history(commit: string | undefined): FakeCommit[] {
    const out: FakeCommit[] = [];
    let cursor = commit === undefined ? undefined : this.allCommits.get(commit);
    while (cursor) {
      out.push(cursor);
      cursor = cursor.parent === undefined ? undefined : this.allCommits.get(cursor.parent);
    }
    return out;
  }

  /** A commit by full oid or by a unique prefix of at least 5 hex digits (the Hub accepts shorthands). */
  findCommit(oid: string): FakeCommit | undefined {
    const lower = oid.toLowerCase();
    if (FULL_OID.test(lower)) {
      return this.allCommits.get(lower);
    }
    if (!SHORT_OID.test(lower)) {
      return undefined;
    }
    const matches = [...this.allCommits.keys()].filter((key) => key.startsWith(lower));
    return matches.length === 1 ? this.allCommits.get(matches[0] ?? "") : undefined;
  }

  /**
   * Resolves a revision the way the Hub does: "HEAD" (main), a branch, a tag, `refs/heads/x`,
   * `refs/tags/x`, `refs/pr/N`, or a commit oid. Undefined when it names nothing.
   */
  resolve(revision: string): ResolvedRevision | undefined {
    const branch = (name: string): ResolvedRevision | undefined =>
      this.branches.has(name) ? { kind: "branch", name, commit: this.branches.get(name) } : undefined;
    const tag = (name: string): ResolvedRevision | undefined => {
      const found = this.tags.get(name);
      return found ? { kind: "tag", name, commit: found.commit } : undefined;
    };
    if (revision === "HEAD") {
      return branch("main");
    }
    if (revision.startsWith("refs/heads/")) {
      return branch(revision.slice("refs/heads/".length));
    }
    if (revision.startsWith("refs/tags/")) {
      return tag(revision.slice("refs/tags/".length));
    }
    const pr = /^refs\/pr\/(\d+)$/.exec(revision);
    if (pr) {
      const found = this.discussions.get(Number(pr[1]));
      return found?.isPullRequest === true ? { kind: "pr", name: revision, commit: found.head } : undefined;
    }
    const named = branch(revision) ?? tag(revision);
    if (named) {
      return named;
    }
    const commit = this.findCommit(revision);
    return commit ? { kind: "commit", name: commit.oid, commit: commit.oid } : undefined;
  }
}
