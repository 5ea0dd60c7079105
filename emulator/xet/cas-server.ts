import type { XetHasher } from "../../src/xet/index.js";
import type { CasCatalog } from "./cas-catalog.js";
import type { UrlSigner } from "./create-url-signer.js";
import type { XetFileRecord } from "./xet-file-record.js";
import type { XetGrant, XetTokens } from "./xet-tokens.js";
import type { XorbStore } from "./xorb-store.js";

/** What the CAS handlers share: the stores, the tokens, the clock and the two questions only the Hub can answer. */
export interface CasServer {
  readonly hasher: XetHasher;
  readonly store: XorbStore;
  readonly catalog: CasCatalog;
  readonly tokens: XetTokens;
  readonly signer: UrlSigner;
  /** Lifetime of tokens and fetch URLs, in seconds. */
  readonly ttlSeconds: number;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Bounds how many xorb bodies are received and verified at once (memory: up to 64 MiB each). */
  limitUploads<T>(task: () => Promise<T>): Promise<T>;
  /** Whether a token granted for `repo` (a repo's or bucket's key) may read this file (one it holds, or uploaded for it). */
  mayRead(repo: string, file: XetFileRecord): boolean;
  /** Called once files are registered (by a shard uploaded with `grant`, or an ingestion): persists them, tells the Hub. */
  registered(files: readonly XetFileRecord[], grant: XetGrant | undefined): Promise<void>;
}

/** One request to the CAS: where its URLs start (`${origin}/__xet`, the casUrl), and where to count body bytes. */
export interface CasRequest {
  readonly request: Request;
  readonly url: URL;
  readonly base: string;
  readonly record: { bytes: number };
}
