import type { FakeBucketFile, FakeDiscussion, Gated, RepoType } from "./types.js";

/** The on-disk shape of `--data DIR/state.json` (file contents live beside it, in blobs/ and lfs/). */
export interface StoredState {
  version: 1;
  repos: Array<{
    type: RepoType;
    id: string;
    private: boolean;
    gated: Gated;
    createdAt: string;
    branches: Record<string, string | null>;
    tags: Record<string, { commit: string; message: string }>;
    /** Discussions and pull requests with their events. */
    discussions?: FakeDiscussion[];
    /** Pull requests as state files written before discussions were emulated hold them (read only). */
    pullRequests?: Array<{
      num: number;
      head: string;
      target: string;
      title: string;
      author: string;
      createdAt: string;
    }>;
    commits: Array<{
      oid: string;
      title: string;
      description: string;
      parent: string | null;
      declaredParent: string | null;
      branch: string;
      pullRequest: boolean;
      date: string;
      author: string;
      operations: Array<{ key: string; path: string }>;
      /** path → file; a regular file's bytes are in blobs/<gitOid>. */
      files: Record<string, { size: number; gitOid: string; lfs: { oid: string; size: number } | null }>;
    }>;
  }>;
  /** LFS objects; `file` is where the bytes are (absolute), null when they were not kept. */
  lfs: Array<{ oid: string; size: number; file: string | null }>;
  /** Storage buckets (absent in state files written before buckets were emulated); content is in Xet storage. */
  buckets?: Array<{ id: string; private: boolean; createdAt: string; files: Record<string, FakeBucketFile> }>;
}
