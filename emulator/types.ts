/** The repo types the emulator serves; Spaces are not emulated. */
export type RepoType = "model" | "dataset";

/** The Hub's gating modes: `false` (open), or gated with automatic or manual approval. */
export type Gated = false | "auto" | "manual";

export interface FakeHubUser {
  name: string;
  orgs?: string[];
  /** A read-only token (`false`) may read but never write. */
  canWrite?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  status: number;
  authorization: string | undefined;
  bytes: number;
}

export interface FakeFile {
  size: number;
  /** Git blob id of what the repo stores (the pointer file for LFS files). */
  gitOid: string;
  lfs: { oid: string; size: number } | undefined;
  /** The bytes of a regular (non-LFS) file. */
  content: Buffer | undefined;
}

export interface FakeCommit {
  oid: string;
  title: string;
  description: string;
  /** The git parent: the head of the ref the commit was made on (or the PR's base), undefined for a first commit. */
  parent: string | undefined;
  /** The `parentCommit` the client declared in the commit header; undefined when it sent none. */
  declaredParent: string | undefined;
  /** The ref the commit was made on: a branch name, or `refs/pr/N` for a pull request. */
  branch: string;
  /** True when the commit went to a pull request (opened by `create_pr=1`, or pushed to `refs/pr/N`). */
  pullRequest: boolean;
  /** ISO date. */
  date: string;
  /** User name of the token owner who committed. */
  author: string;
  operations: Array<{ key: string; path: string }>;
  /** The repo's tree after this commit. */
  files: Map<string, FakeFile>;
}

/** A discussion's state; a pull request opened without changes starts as a draft. */
export type DiscussionStatus = "open" | "closed" | "merged" | "draft";

/** One event of a discussion, as the Hub lists it (`data` in the Hub's shape for its type). */
export interface FakeDiscussionEvent {
  id: string;
  type: "comment" | "status-change" | "commit" | "title-change";
  author: string;
  createdAt: string;
  data: Record<string, unknown>;
}

interface DiscussionFields {
  num: number;
  title: string;
  author: string;
  createdAt: string;
  status: DiscussionStatus;
  events: FakeDiscussionEvent[];
}

/** A discussion that is not a pull request. */
export interface FakePlainDiscussion extends DiscussionFields {
  isPullRequest: false;
}

/** A pull request: a discussion with its own ref, `refs/pr/N`, against a branch. */
export interface FakePullRequest extends DiscussionFields {
  isPullRequest: true;
  /** Head commit of `refs/pr/N`. */
  head: string;
  /** The branch the pull request was opened against. */
  target: string;
  /** The commit of the target branch the pull request started from (what a merge compares with). */
  base: string;
  /** The commit the merge made on the target branch. */
  mergeCommit: string | undefined;
}

/** Discussions and pull requests share one numbering per repo, as on the Hub. */
export type FakeDiscussion = FakePlainDiscussion | FakePullRequest;

/** A file of a storage bucket: Xet content by hash, no history (buckets are mutable, not git). */
export interface FakeBucketFile {
  xetHash: string;
  size: number;
  /** ISO date: the client's modification time of the source. */
  mtime: string;
  /** ISO date the bucket got this content. */
  uploadedAt: string;
  contentType: string | undefined;
}

/** A storage bucket (the Hub's S3-like repo type on Xet storage): files by path, overwritten in place. */
export interface FakeBucket {
  /** "namespace/name" as created (lookups ignore case); changed by a move. */
  id: string;
  private: boolean;
  createdAt: string;
  readonly files: Map<string, FakeBucketFile>;
}
