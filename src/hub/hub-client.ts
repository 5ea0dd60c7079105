import type { FileIdentity } from "../util/file-identity.js";
import type { RemoteFile } from "./diff-against-remote.js";
import type { Clock, RetryInfo } from "./transport/with-retries.js";

/** A repo on the Hub: its type decides every URL (`/api/models/…`, `/api/datasets/…`). */
export interface HubRepo {
  type: "model" | "dataset";
  id: string;
}

export type Gated = false | "auto" | "manual";

export interface HubCommit {
  oid: string;
  title: string;
  /** The commit message body (our description, trailers included). */
  message: string;
}

export interface RepoRefs {
  branches: Map<string, string>;
  tags: Map<string, string>;
}

/** An open pull request of a repo. */
export interface HubPullRequest {
  num: number;
  title: string;
  /** `refs/pr/N`: where its files and history are read. */
  revision: string;
  /** Its page on the Hub (`<repo url>/discussions/N`). */
  url: string;
}

export interface UploadFile {
  pathInRepo: string;
  size: number;
  /** The content's sha256 when already known (staging, the conversion, the hash cache): it is not hashed again. */
  sha256?: string | undefined;
  /**
   * On disk (streamed from there), or in memory (small generated files). A file's `identity` is
   * the file as it was hashed or validated: one that differs by upload time is refused (FileChangedError).
   */
  content:
    | { type: "file"; abs: string; identity?: FileIdentity | undefined }
    | {
        type: "bytes";
        bytes: Uint8Array;
        /** The run file these bytes were made from (a sanitized copy): it too must not change before the commit. */
        from?: { abs: string; identity: FileIdentity } | undefined;
      };
}

export type UploadEvent =
  | { type: "phase"; phase: "creating-repo" | "preuploading" | "hashing" | "uploading" | "committing" }
  | {
      type: "file";
      path: string;
      state: "hashing" | "uploading";
      progress: number;
      /** Bytes of this file hashed or sent so far; with totalBytes, progress shows bytes, rate and ETA. */
      bytes?: number;
      /** The file's size. */
      totalBytes?: number;
      /** The sha256 of what is uploaded, which storage URLs name it by (so a retry line can name the file). */
      oid?: string;
      /** Uploading through Xet: bytes of this file found on the Hub and not sent (counted in `bytes`). */
      dedupedBytes?: number;
    }
  | ({ type: "retry" } & RetryInfo)
  /** An object sent to storage under this hash carries these files (a xorb: chunks of several), so a retry can name them. */
  | { type: "storage-object"; hash: string; paths: string[] }
  /** One of our commits is proven to be on the Hub; after an interruption, the entry point says which landed. */
  | { type: "committed"; repoId: string; oid: string };

export interface CommitOutcome {
  commit: { oid: string; url: string };
  /** Set when the commit opened a pull request instead of moving the branch. */
  pullRequest: { url: string; revision: string } | undefined;
  /** sha256 of every file the commit sent through LFS, by repo path (the oids of its lfsFile lines). */
  lfsOids: Map<string, string>;
  /**
   * What reaching the storage took: the bytes of the files stored as LFS files, the bytes sent for
   * them (LFS PUTs, Xet xorbs and shards), and the bytes of them the Hub already held.
   */
  storage: StorageTraffic;
  /** For each file sent through Xet, by repo path: the chunks its next version's upload should ask about first. */
  xetProbes: Map<string, readonly string[]>;
}

/** The bytes of a commit's LFS files, what was sent for them, and what the Hub already held (counted once). */
export interface StorageTraffic {
  bytes: number;
  sentBytes: number;
  dedupedBytes: number;
}

export interface RemoteState {
  /** The revision's head commit; undefined for a repo without commits, or a branch that does not exist. */
  head: string | undefined;
  /** False when the repo exists but the revision (a branch, say) does not. */
  revisionExists: boolean;
  files: Map<string, RemoteFile>;
  private: boolean | undefined;
  gated: Gated | undefined;
}

export type CardVerdict =
  | { status: "accepted"; warnings: string[] }
  | { status: "rejected"; message: string }
  | { status: "unavailable"; message: string };

export interface CommitRequest {
  repo: HubRepo;
  /** The branch to commit to (default main); with `createPr`, the branch the pull request is opened against. */
  branch?: string | undefined;
  createPr?: boolean | undefined;
  files: readonly UploadFile[];
  /** Repo paths to delete in the same commit. */
  deletions?: readonly string[] | undefined;
  title: string;
  description: string;
  /** The Hub refuses the commit if the branch moved off it meanwhile, so two uploads never interleave. */
  parentCommit: string | undefined;
  /**
   * Chunks (Xet string form) of what the repo held before, kept from when this tool sent it: asked
   * about first, so a changed file sent through Xet dedups against its last version.
   */
  dedupHints?: readonly string[] | undefined;
  onEvent?: ((event: UploadEvent) => void) | undefined;
}

export interface HubClient {
  readonly hubUrl: string;
  /** The repo's web URL: `<hub>/<id>` for models, `<hub>/datasets/<id>` for datasets. */
  repoUrl(repo: HubRepo): string;
  /** The token owner's user name. */
  whoAmI(): Promise<string>;
  /**
   * Asks the Hub whether it accepts a card's metadata (POST /api/validate-yaml, as huggingface_hub
   * does before an upload), so a bad card fails in seconds rather than after the weights are sent.
   */
  validateCard(readme: string, repoType: HubRepo["type"]): Promise<CardVerdict>;
  /** The repo's files and head at a revision (default main), or undefined when the repo does not exist. */
  remoteState(repo: HubRepo, revision?: string): Promise<RemoteState | undefined>;
  /** Creates the repo; an existing one (409) is fine. */
  ensureRepo(repo: HubRepo, options: { private: boolean }): Promise<{ created: boolean; url: string }>;
  /** Deletes the repo: only ever one this upload created and left empty. */
  deleteRepo(repo: HubRepo): Promise<void>;
  refs(repo: HubRepo): Promise<RepoRefs>;
  /** The newest commits of a revision, newest first. */
  commits(repo: HubRepo, revision: string): Promise<HubCommit[]>;
  /** The last commit that touched each path at a revision, by path (paths the revision lacks are left out). */
  lastCommits(repo: HubRepo, revision: string, paths: readonly string[]): Promise<Map<string, string>>;
  /** The repo's open pull requests. */
  pullRequests(repo: HubRepo): Promise<HubPullRequest[]>;
  createBranch(repo: HubRepo, branch: string, startingPoint: string | undefined): Promise<void>;
  createTag(repo: HubRepo, tag: string, revision: string, message: string): Promise<void>;
  updateSettings(repo: HubRepo, settings: { private?: boolean; gated?: Gated }): Promise<void>;
  /**
   * Publishes the files in one commit and proves it: the answer must name a commit, and the branch
   * (or pull request) read back must hold it with our files. Interrupted while the commit is in
   * flight, it says whether it landed.
   */
  commit(request: CommitRequest): Promise<CommitOutcome>;
}

export interface HubClientParams {
  hubUrl: string;
  /** Needed by every call; may be undefined only when the guard will refuse anyway. */
  token: string | undefined;
  testSignals: readonly string[];
  /** Base fetch for non-streamed requests; the global fetch when omitted. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  network?: { maxRetries: number; retryBaseMs: number; timeoutMs: number };
  /** Told about every retry (the CLI prints them: an unattended run's log should show a flaky network). */
  onRetry?: (info: RetryInfo) => void;
  /** Jitter source; tests pass a seeded one. */
  random?: () => number;
  /** Time for retry waits; tests pass a fake one. */
  clock?: Clock;
  /** Where the repos' namespace comes from, so a 403's hint names the setting to change (default: the prefix). */
  namespaceSource?: NamespaceSource;
  /**
   * Offer Xet storage when the Hub has it (default true, as @huggingface/hub and huggingface_hub do);
   * false (--no-xet, HF_HUB_DISABLE_XET) sends every file through LFS.
   */
  xet?: boolean;
}

/** "--repo" or "huggingface.repo_id": a stable repo; "prefix": huggingface.repo_prefix or the token's owner. */
export type NamespaceSource = "--repo" | "huggingface.repo_id" | "prefix";
