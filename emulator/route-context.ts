import type { FakeRepo } from "./fake-repo.js";
import type { LfsObject, LfsStore } from "./lfs-store.js";
import type { XetCas } from "./xet/xet-cas.js";
import type { XetFileRecord } from "./xet/xet-file-record.js";
import type { FakeBucket, FakeFile, FakeHubUser, RecordedRequest, RepoType } from "./types.js";

export type Access = "read" | "download" | "write";

/** The emulator's sizes that routes answer by. */
export interface EmulatorLimits {
  /** Files at least this large are LFS (default 10 MiB); *.safetensors and binary files always are. */
  lfsThreshold?: number;
  /** Answer the LFS batch with multipart uploads of this part size, for objects larger than it. */
  multipartChunkSize?: number;
  /** Largest page of tree entries or commits (default 1000); longer listings continue through `Link`. */
  pageSize?: number;
}

/**
 * What routes and the state files see of the emulator: its stores and the operations routes share.
 * FakeHub implements it; naming it here keeps the modules FakeHub is built from from importing it back.
 */
export interface EmulatedHub {
  readonly repos: Map<string, FakeRepo>;
  /** token → user: who the emulator knows (users and their orgs are its namespaces). */
  readonly users: Record<string, FakeHubUser>;
  /** Storage buckets by id as created. */
  readonly buckets: Map<string, FakeBucket>;
  readonly lfsStore: LfsStore;
  readonly lfs: Map<string, LfsObject>;
  readonly options: EmulatorLimits;
  /** The Xet storage; undefined when Xet is off (an older Hub: LFS only). */
  readonly xet: XetCas | undefined;
  repo(type: RepoType, id: string): FakeRepo | undefined;
  bucket(id: string): FakeBucket | undefined;
  /** The Xet file holding an LFS file's content (converted on first use); undefined without Xet or without the bytes. */
  xetFileOf(lfs: { oid: string; size: number }): Promise<XetFileRecord | undefined>;
  bytesOf(file: FakeFile, label: string): Promise<Buffer>;
  save(): Promise<void>;
  /** The repo if the context's user may access it this way, else the Hub's error answer. */
  access(ctx: RouteContext, type: RepoType, id: string, mode: Access): FakeRepo | Response;
  /** The bucket if the context's user may read or write it, else the Hub's error answer. */
  bucketAccess(ctx: RouteContext, id: string, mode: "read" | "write"): FakeBucket | Response;
}

/** What every route handler gets: the emulator, the request, and who sent it. */
export interface RouteContext {
  hub: EmulatedHub;
  request: Request;
  url: URL;
  /** e.g. http://127.0.0.1:43121, for the URLs the answer carries. */
  origin: string;
  /** The token owner; undefined for an anonymous request. */
  user: FakeHubUser | undefined;
  record: RecordedRequest;
}
