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

export interface FakePullRequest {
  num: number;
  /** Head commit of `refs/pr/N`. */
  head: string;
  /** The branch the pull request was opened against. */
  target: string;
  title: string;
  author: string;
  createdAt: string;
}
