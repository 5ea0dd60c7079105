import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { createXetHasher, type XetHasher } from "../../src/xet/index.js";
import { CasCatalog } from "./cas-catalog.js";
import type { CasServer } from "./cas-server.js";
import { createUrlSigner, type UrlSigner } from "./create-url-signer.js";
import { ingestStream } from "./ingest-stream.js";
import { limitConcurrency } from "./limit-concurrency.js";
import { readXetFile } from "./read-xet-file.js";
import { routeCasRequest } from "./route-cas-request.js";
import type { XetFileRecord } from "./xet-file-record.js";
import { XetTokens, type XetGrant, type XetScope } from "./xet-tokens.js";
import { XorbStore } from "./xorb-store.js";

/** Where the CAS answers on the emulator's own host: the casUrl the Hub hands out is `${origin}${XET_PATH}`. */
export const XET_PATH = "/__xet";

export interface XetCasOptions {
  /** Keep xorbs (`dir/xorbs/`) and the file index (`dir/files.json`) here, and reload them; else in memory. */
  dir?: string;
  /** Keep no chunk bytes at all, only their tables (benchmarks of multi-GB uploads). */
  discard?: boolean;
  /** Lifetime of CAS tokens and fetch URLs (default 3600 s). */
  tokenTtlSeconds?: number;
  /** The clock, in milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** Whether the Hub's repo or bucket `repo` (FakeRepo.key, bucketKey) holds this file (in any commit of a repo). */
  repoHolds: (repo: string, file: XetFileRecord) => boolean;
  /** Told when the CAS holds a file's content, so the Hub can drop another copy of it. */
  contentStored?: (sha256: string) => Promise<void>;
}

/** The answer of the Hub's xet-read-token and xet-write-token routes (spec "Authentication"). */
export interface XetTokenAnswer {
  accessToken: string;
  /** Seconds since the epoch. */
  exp: number;
  casUrl: string;
}

interface StoredCatalog {
  version: 1;
  files: Array<{ hash: string; size: number; sha256: string; terms: Array<[string, number, number, number]> }>;
}

/**
 * The Xet CAS server of the emulator (spec "CAS API"), its own part: xorb and shard uploads verified
 * on receipt, global chunk dedup, file reconstructions with signed byte-range fetches, all behind
 * short-lived scoped tokens. Content is stored once across all repos: xorbs by hash, files by Xet
 * hash (and SHA-256). The Hub side uses only what is public here: token issue, lookups by SHA-256,
 * ingestion of LFS objects, reads, `handle` for requests under XET_PATH, `ready` and `save`.
 */
export class XetCas implements CasServer {
  readonly catalog = new CasCatalog();
  readonly hasher: XetHasher = createXetHasher();
  readonly store: XorbStore;
  readonly tokens: XetTokens;
  readonly signer: UrlSigner;
  readonly ttlSeconds: number;
  readonly limitUploads = limitConcurrency(2);
  private readonly options: XetCasOptions;
  private readonly uploadedFor = new Map<string, Set<string>>();
  private readonly ingesting = new Map<string, Promise<XetFileRecord | undefined>>();
  private loading: Promise<void> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(options: XetCasOptions) {
    this.options = options;
    this.ttlSeconds = options.tokenTtlSeconds ?? 3600;
    this.store = new XorbStore(
      options.dir === undefined ? undefined : path.join(options.dir, "xorbs"),
      options.discard === true,
    );
    this.tokens = new XetTokens(this.ttlSeconds, () => this.now());
    this.signer = createUrlSigner(() => this.now());
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** With a `dir`, loads the stored xorbs and file index; every use waits for it. */
  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  casUrl(origin: string): string {
    return `${origin}${XET_PATH}`;
  }

  /** A CAS token for `repo` (FakeRepo.key): the caller has checked the Hub token's rights on it. */
  issueToken(scope: XetScope, repo: string, origin: string): XetTokenAnswer {
    const { token, grant } = this.tokens.issue(scope, repo);
    return { accessToken: token, exp: grant.expiresAt, casUrl: this.casUrl(origin) };
  }

  /** A request whose path starts with XET_PATH; `record.bytes` counts the body bytes received. */
  async handle(request: Request, url: URL, record: { bytes: number }): Promise<Response> {
    await this.ready();
    return routeCasRequest(this, {
      request,
      url,
      base: this.casUrl(url.origin),
      record,
    });
  }

  fileBySha256(sha256: string): XetFileRecord | undefined {
    return this.catalog.fileBySha256(sha256);
  }

  /**
   * The Xet file of an LFS object, ingesting its bytes the first time (as the Hub converts LFS uploads
   * to Xet storage); undefined when `source` has nothing to read or the bytes are not what `sha256`
   * says. Concurrent calls for one object share one ingestion.
   */
  async fileOfLfsObject(
    sha256: string,
    source: () => AsyncIterable<Uint8Array> | undefined,
  ): Promise<XetFileRecord | undefined> {
    await this.ready();
    const known = this.catalog.fileBySha256(sha256);
    if (known || !this.store.keepsContent) {
      return known;
    }
    let pending = this.ingesting.get(sha256);
    if (pending === undefined) {
      const stream = source();
      if (stream === undefined) {
        return undefined;
      }
      pending = ingestStream(this.hasher, this.store, this.catalog, stream).then(
        async (file) => {
          if (file.sha256 !== sha256) {
            return undefined;
          }
          await this.registered([file], undefined);
          return file;
        },
        () => undefined,
      );
      this.ingesting.set(sha256, pending);
      void pending.finally(() => this.ingesting.delete(sha256));
    }
    return pending;
  }

  /** Bytes [start, end) of a registered file. */
  read(file: XetFileRecord, start = 0, end = file.size): AsyncGenerator<Uint8Array> {
    return readXetFile(this.store, file, start, end);
  }

  mayRead(repo: string, file: XetFileRecord): boolean {
    return this.uploadedFor.get(file.hash)?.has(repo) === true || this.options.repoHolds(repo, file);
  }

  async registered(files: readonly XetFileRecord[], grant: XetGrant | undefined): Promise<void> {
    for (const file of files) {
      if (grant !== undefined) {
        const repos = this.uploadedFor.get(file.hash) ?? new Set<string>();
        repos.add(grant.repo);
        this.uploadedFor.set(file.hash, repos);
      }
      if (this.store.keepsContent) {
        await this.options.contentStored?.(file.sha256);
      }
    }
    await this.save();
  }

  /** Writes the file index to `dir/files.json` (xorbs are written as they arrive), one write at a time. */
  save(): Promise<void> {
    const dir = this.options.dir;
    if (dir === undefined) {
      return Promise.resolve();
    }
    this.saving = this.saving.then(async () => {
      const stored: StoredCatalog = {
        version: 1,
        files: [...this.catalog.files.values()].map((file) => ({
          hash: file.hash,
          size: file.size,
          sha256: file.sha256,
          terms: file.terms.map((term) => [term.xorb, term.start, term.end, term.bytes]),
        })),
      };
      await mkdir(dir, { recursive: true });
      const target = path.join(dir, "files.json");
      const temp = `${target}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(temp, `${JSON.stringify(stored)}\n`);
      await rename(temp, target);
    });
    return this.saving;
  }

  private async load(): Promise<void> {
    await this.store.load();
    for (const xorb of this.store.xorbs.values()) {
      this.catalog.addXorb(xorb);
    }
    const dir = this.options.dir;
    if (dir === undefined) {
      return;
    }
    let text: string;
    try {
      text = await readFile(path.join(dir, "files.json"), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return;
      }
      throw error;
    }
    const stored = JSON.parse(text) as StoredCatalog;
    if (stored.version !== 1 || !Array.isArray(stored.files)) {
      throw new Error(`${path.join(dir, "files.json")} is not the emulator's Xet file index (version 1)`);
    }
    for (const file of stored.files) {
      // A file whose xorbs are gone from disk cannot be rebuilt: forget it, so clients upload it again.
      if (file.terms.every(([xorb]) => this.store.get(xorb) !== undefined)) {
        this.catalog.addFile({
          hash: file.hash,
          size: file.size,
          sha256: file.sha256,
          terms: file.terms.map(([xorb, start, end, bytes]) => ({ xorb, start, end, bytes })),
        });
      }
    }
  }
}
