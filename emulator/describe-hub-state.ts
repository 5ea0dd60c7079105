import { createHash } from "node:crypto";
import type { EmulatedHub } from "./route-context.js";

export interface HubStateJson {
  repos: Array<{
    /** Key in `FakeHub.repos`: "alice/x" for a model, "datasets/alice/x" for a dataset. */
    key: string;
    type: "model" | "dataset";
    id: string;
    private: boolean;
    gated: false | "auto" | "manual";
    /** Branch → head commit (null: no commit yet). */
    branches: Record<string, string | null>;
    /** Tag → commit. */
    tags: Record<string, string>;
    pullRequests: Array<{ num: number; ref: string; target: string; head: string; title: string; status: string }>;
    /** Discussions and pull requests, by number. */
    discussions: Array<{ num: number; title: string; status: string; isPullRequest: boolean; author: string }>;
    /** Every commit on any ref, oldest first. */
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
    }>;
    /** main's files, sorted by path. */
    /** `xetHash`: the Xet file holding an LFS file's content, null when Xet holds none (yet, or Xet is off). */
    files: Array<{
      path: string;
      size: number;
      oid: string;
      sha256: string | null;
      lfs: boolean;
      xetHash: string | null;
    }>;
  }>;
  /** Storage buckets with their files, sorted by path. */
  buckets: Array<{ id: string; private: boolean; files: Array<{ path: string; size: number; xetHash: string }> }>;
}

/**
 * Pure read of the emulator's state for assertions (`GET /__emulator/state`): every repo with its
 * refs, commits (with the parent the client declared) and main's files with sizes and hashes, and
 * every storage bucket with its files.
 */
export function describeHubState(hub: EmulatedHub): HubStateJson {
  return {
    repos: [...hub.repos.values()].map((repo) => ({
      key: repo.key,
      type: repo.type,
      id: repo.id,
      private: repo.private,
      gated: repo.gated,
      branches: Object.fromEntries([...repo.branches].map(([name, commit]) => [name, commit ?? null])),
      tags: Object.fromEntries([...repo.tags].map(([name, tag]) => [name, tag.commit])),
      pullRequests: [...repo.pullRequests.values()].map((pr) => ({
        num: pr.num,
        ref: `refs/pr/${pr.num}`,
        target: pr.target,
        head: pr.head,
        title: pr.title,
        status: pr.status,
      })),
      discussions: [...repo.discussions.values()].map((d) => ({
        num: d.num,
        title: d.title,
        status: d.status,
        isPullRequest: d.isPullRequest,
        author: d.author,
      })),
      commits: [...repo.allCommits.values()].map((commit) => ({
        oid: commit.oid,
        title: commit.title,
        description: commit.description,
        parent: commit.parent ?? null,
        declaredParent: commit.declaredParent ?? null,
        branch: commit.branch,
        pullRequest: commit.pullRequest,
        date: commit.date,
        author: commit.author,
        operations: commit.operations,
      })),
      files: [...repo.files]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, file]) => ({
          path,
          size: file.size,
          oid: file.gitOid,
          sha256: file.lfs?.oid ?? (file.content ? createHash("sha256").update(file.content).digest("hex") : null),
          lfs: file.lfs !== undefined,
          xetHash: (file.lfs && hub.xet?.fileBySha256(file.lfs.oid)?.hash) ?? null,
        })),
    })),
    buckets: [...hub.buckets.values()].map((bucket) => ({
      id: bucket.id,
      private: bucket.private,
      files: [...bucket.files]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, file]) => ({ path, size: file.size, xetHash: file.xetHash })),
    })),
  };
}
