import { randomBytes } from "node:crypto";
import path from "node:path";
import { addInitialCommit } from "./add-initial-commit.js";
import { bucketKey } from "./bucket-key.js";
import { describeHubState } from "./describe-hub-state.js";
import { FakeRepo } from "./fake-repo.js";
import { hubError } from "./hub-error.js";
import { isMember } from "./is-member.js";
import { jsonResponse } from "./json-response.js";
import { LfsStore, type LfsObject } from "./lfs-store.js";
import { loadHubState } from "./load-hub-state.js";
import { parseHubPath, type HubRoute } from "./parse-hub-path.js";
import type { Access, EmulatedHub, EmulatorLimits, RouteContext } from "./route-context.js";
import { branchRoute } from "./routes/branch.js";
import { bucketBatchRoute } from "./routes/bucket-batch.js";
import { bucketFileRoute } from "./routes/bucket-file.js";
import { bucketInfoRoute } from "./routes/bucket-info.js";
import { bucketPathsInfoRoute } from "./routes/bucket-paths-info.js";
import { bucketSettingsRoute } from "./routes/bucket-settings.js";
import { bucketTreeRoute } from "./routes/bucket-tree.js";
import { bucketXetTokenRoute } from "./routes/bucket-xet-token.js";
import { commitRoute } from "./routes/commit.js";
import { commitsRoute } from "./routes/commits.js";
import { createBucketRoute } from "./routes/create-bucket.js";
import { createRepoRoute } from "./routes/create-repo.js";
import { deleteBucketRoute } from "./routes/delete-bucket.js";
import { deleteRepoRoute } from "./routes/delete-repo.js";
import { discussionRoute } from "./routes/discussion.js";
import { discussionsRoute } from "./routes/discussions.js";
import { fileRoute } from "./routes/file.js";
import { lfsBatchRoute } from "./routes/lfs-batch.js";
import { listBucketsRoute } from "./routes/list-buckets.js";
import { listReposRoute } from "./routes/list-repos.js";
import { moveRepoRoute } from "./routes/move-repo.js";
import { pathsInfoRoute } from "./routes/paths-info.js";
import { preuploadRoute } from "./routes/preupload.js";
import { refsRoute } from "./routes/refs.js";
import { repoInfoRoute } from "./routes/repo-info.js";
import { settingsRoute } from "./routes/settings.js";
import { superSquashRoute } from "./routes/super-squash.js";
import { tagRoute } from "./routes/tag.js";
import { treeRoute } from "./routes/tree.js";
import { validateYamlRoute } from "./routes/validate-yaml.js";
import { whoamiRoute } from "./routes/whoami.js";
import { repoOfPath } from "./repo-of-path.js";
import { xetTokenRoute } from "./routes/xet-token.js";
import { saveHubState } from "./save-hub-state.js";
import { unencodedRevision } from "./unencoded-revision.js";
import type { FakeBucket, FakeFile, FakeHubUser, Gated, RecordedRequest, RepoType } from "./types.js";
import { XET_PATH, XetCas } from "./xet/xet-cas.js";
import type { XetFileRecord } from "./xet/xet-file-record.js";

export type {
  FakeBucket,
  FakeBucketFile,
  FakeCommit,
  FakeDiscussion,
  FakeFile,
  FakeHubUser,
  FakePullRequest,
  Gated,
  RecordedRequest,
  RepoType,
} from "./types.js";
export { FakeRepo } from "./fake-repo.js";
export { validateFrontMatter } from "./validate-front-matter.js";

/**
 * A small, faithful emulator of the Hugging Face Hub endpoints that @huggingface/hub and huggingface_hub
 * use to publish and read back model and dataset repos: whoami, repo create/delete/move/settings/info,
 * namespace listings, preupload, LFS batch + basic/multipart PUTs, NDJSON commits (to branches and pull
 * requests), tree, paths-info, resolve/raw, refs, branches, tags, commit history, super-squash,
 * discussions and pull requests, and validate-yaml. It is a plain `Request → Response` handler, so the
 * same instance can be served through msw (in-process tests) and through node:http on 127.0.0.1
 * (child-process tests, the demo, the benchmark, `process-artifacts-hub`). As on the Hub, a new repo
 * starts with an "initial commit" holding `.gitattributes`, whose rules decide what is stored in LFS
 * (with size and binary content), and repo ids are matched without regard to case. Xet storage is
 * served too (emulator/xet/, the CAS, reached through `xet`).
 */
export interface FakeHubOptions extends EmulatorLimits {
  /** token → user. */
  users?: Record<string, FakeHubUser>;
  /** Write LFS objects here instead of keeping them in memory (needed for large uploads). */
  storageDir?: string;
  /**
   * Keep repos, refs, commits and LFS objects in this folder and reload them from it: a second
   * emulator on the same folder sees what the first one stored. State is loaded before the first
   * request is answered (or by `FakeHub.open`).
   */
  dataDir?: string;
  /** Store no file content at all (LFS objects nor Xet chunks), only sizes and hashes (benchmarks of multi-GB uploads). */
  discardLfsContent?: boolean;
  /**
   * Xet storage (default on, as on the Hub): the xet-read-token and xet-write-token routes, the CAS
   * under `/__xet`, `transfer: "xet"` in LFS batch answers to clients that offer it, Xet headers and
   * `xetHash` fields for downloads. `false`: a Hub without Xet (LFS only; the token routes are 404).
   */
  xet?: false | { tokenTtlSeconds?: number; now?: () => number };
  /** Runs before routing; a Response returned here is sent instead (fault injection). */
  intercept?: (request: Request, hub: FakeHub) => Response | undefined | Promise<Response | undefined>;
  /**
   * Runs after routing, when the request has taken effect; may replace the answer (a lost response:
   * the commit landed but the client hears 502, or its connection drops).
   */
  postprocess?: (request: Request, response: Response, hub: FakeHub) => Response | Promise<Response>;
}

export const DEFAULT_TOKEN = "hf_emulatorTokenForTestsOnly0000";

export type { Access } from "./route-context.js";

export class FakeHub implements EmulatedHub {
  readonly requests: RecordedRequest[] = [];
  /** Keyed "namespace/name" for models and "datasets/namespace/name" for datasets (see FakeRepo.key). */
  readonly repos = new Map<string, FakeRepo>();
  /** Storage buckets, keyed by id as created ("namespace/name"). */
  readonly buckets = new Map<string, FakeBucket>();
  readonly options: FakeHubOptions;
  readonly lfsStore: LfsStore;
  readonly xet: XetCas | undefined;
  private loading: Promise<void> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(options: FakeHubOptions = {}) {
    this.options = options;
    const lfsDir =
      options.storageDir ?? (options.dataDir === undefined ? undefined : path.join(options.dataDir, "lfs"));
    this.lfsStore = new LfsStore(lfsDir, options.discardLfsContent === true);
    if (options.xet !== false) {
      const xetDir =
        options.storageDir !== undefined
          ? path.join(options.storageDir, "xet")
          : options.dataDir === undefined
            ? undefined
            : path.join(options.dataDir, "xet");
      this.xet = new XetCas({
        ...(xetDir === undefined ? {} : { dir: xetDir }),
        discard: options.discardLfsContent === true,
        ...(options.xet?.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: options.xet.tokenTtlSeconds }),
        ...(options.xet?.now === undefined ? {} : { now: options.xet.now }),
        repoHolds: (repo, file) => this.repoHolds(repo, file),
        // Content is stored once: an LFS object the CAS now holds keeps only its size in the LFS store.
        contentStored: (sha256) => this.lfsStore.dropContent(sha256),
      });
    }
  }

  /** A hub with the state of `options.dataDir` already loaded (so a corrupt folder fails here, not mid-test). */
  static async open(options: FakeHubOptions): Promise<FakeHub> {
    const hub = new FakeHub(options);
    await hub.ready();
    return hub;
  }

  /** Stored LFS objects by sha256. */
  get lfs(): Map<string, LfsObject> {
    return this.lfsStore.objects;
  }

  get users(): Record<string, FakeHubUser> {
    return this.options.users ?? { [DEFAULT_TOKEN]: { name: "alice", orgs: ["olmo-org"] } };
  }

  /** Requests recorded so far whose path matches. */
  count(method: string, pathPattern: RegExp): number {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path)).length;
  }

  /**
   * A repo by type and "namespace/name" (stored under "alice/x" for a model, "datasets/alice/x" for a
   * dataset), whatever the case of the id: the Hub's repo ids are case-insensitive.
   */
  repo(type: RepoType, id: string): FakeRepo | undefined {
    const key = type === "model" ? id : `datasets/${id}`;
    const exact = this.repos.get(key);
    if (exact !== undefined) {
      return exact;
    }
    const wanted = key.toLowerCase();
    return [...this.repos.values()].find((repo) => repo.key.toLowerCase() === wanted);
  }

  /** A bucket by "namespace/name", whatever the case of the id. */
  bucket(id: string): FakeBucket | undefined {
    const exact = this.buckets.get(id);
    if (exact !== undefined) {
      return exact;
    }
    const wanted = id.toLowerCase();
    return [...this.buckets.values()].find((bucket) => bucket.id.toLowerCase() === wanted);
  }

  /**
   * Adds a repo as if someone had created it (a test's starting state): like every repo the Hub
   * creates, main holds an "initial commit" with `.gitattributes`, by the namespace's owner. An
   * existing one is replaced. `id` is "namespace/name". With `dataDir`, it is written there with the
   * next change a request makes.
   */
  addRepo(params: { type?: RepoType; id: string; private?: boolean; gated?: Gated }): FakeRepo {
    const repo = new FakeRepo({ type: params.type ?? "model", id: params.id, private: params.private ?? false });
    repo.gated = params.gated ?? false;
    addInitialCommit(repo, params.id.split("/")[0] ?? "");
    const existing = this.repo(repo.type, repo.id);
    if (existing !== undefined) {
      this.repos.delete(existing.key);
    }
    this.repos.set(repo.key, repo);
    return repo;
  }

  /** The bytes of a file as the repo stores it at `revision` (default main), LFS content resolved. */
  async fileContent(repoKey: string, filePath: string, revision = "main"): Promise<Buffer> {
    const repo = this.repos.get(repoKey);
    const resolved = repo?.resolve(revision);
    const file = resolved && repo?.treeAt(resolved.commit).get(filePath);
    if (!file) {
      throw new Error(`${repoKey} has no file ${filePath} at ${revision}`);
    }
    return this.bytesOf(file, `${repoKey}/${filePath}`);
  }

  async bytesOf(file: FakeFile, label: string): Promise<Buffer> {
    if (file.content) {
      return file.content;
    }
    const content = file.lfs && (await this.lfsStore.content(file.lfs.oid));
    if (content) {
      return content;
    }
    const stored = file.lfs && this.xet?.fileBySha256(file.lfs.oid);
    if (!stored || !this.xet) {
      throw new Error(`${label}: LFS content was not kept`);
    }
    const pieces: Uint8Array[] = [];
    for await (const piece of this.xet.read(stored)) {
      pieces.push(piece);
    }
    return Buffer.concat(pieces);
  }

  async xetFileOf(lfs: { oid: string; size: number }): Promise<XetFileRecord | undefined> {
    const file = await this.xet?.fileOfLfsObject(lfs.oid, () => this.lfsStore.pieces(lfs.oid));
    return file?.size === lfs.size ? file : undefined;
  }

  /**
   * Whether the bucket keyed `key` (bucketKey) holds this Xet file, or any commit of the repo keyed `key`
   * (FakeRepo.key) names an LFS object with its SHA-256.
   */
  private repoHolds(key: string, xetFile: XetFileRecord): boolean {
    const bucket = key.startsWith("buckets/") ? this.bucket(key.slice("buckets/".length)) : undefined;
    if (bucket !== undefined && bucketKey(bucket.id) === key) {
      return [...bucket.files.values()].some((file) => file.xetHash === xetFile.hash);
    }
    const sha256 = xetFile.sha256;
    const repo = this.repos.get(key);
    for (const commit of repo?.allCommits.values() ?? []) {
      for (const file of commit.files.values()) {
        if (file.lfs?.oid === sha256) {
          return true;
        }
      }
    }
    return false;
  }

  /** The JSON of `GET /__emulator/state`. */
  state(): ReturnType<typeof describeHubState> {
    return describeHubState(this);
  }

  /** Loads `dataDir` once; every request waits for it. */
  ready(): Promise<void> {
    this.loading ??= Promise.all([
      this.options.dataDir === undefined ? undefined : loadHubState(this, this.options.dataDir),
      this.xet?.ready(),
    ]).then(() => undefined);
    return this.loading;
  }

  /** Writes the state to `dataDir` (if any) before a changing request is answered, one write at a time. */
  save(): Promise<void> {
    const dir = this.options.dataDir;
    if (dir === undefined) {
      return Promise.resolve();
    }
    this.saving = this.saving.then(() => saveHubState(this, dir));
    return this.saving;
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const control = url.pathname.startsWith("/__emulator/");
    const record: RecordedRequest = {
      method: request.method,
      path: safeDecode(url.pathname),
      search: url.search,
      status: 0,
      authorization: request.headers.get("authorization") ?? undefined,
      bytes: 0,
    };
    // Read-back for assertions must not show up in the requests a test counts, nor be faulted.
    if (!control) {
      this.requests.push(record);
    }
    let response: Response;
    try {
      await this.ready();
      response =
        (control ? undefined : await this.options.intercept?.(request, this)) ??
        (await this.route(request, url, record));
      if (this.options.postprocess && !control) {
        response = await this.options.postprocess(request, response, this);
      }
    } catch (error) {
      response = hubError(500, `emulator error: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.type !== "error" && !response.headers.has("x-request-id")) {
      // Every Hub answer carries one (clients quote it in errors); JSON answers already have theirs.
      response.headers.set(
        "x-request-id",
        `Root=1-${randomBytes(4).toString("hex")}-${randomBytes(12).toString("hex")}`,
      );
    }
    record.status = response.status;
    return response;
  }

  /**
   * The repo a request may use, or the answer the Hub gives instead: a missing repo and a private repo
   * of someone else look the same (404, or 401 without a token); gated files need access; writes need
   * a token with write rights on the namespace.
   */
  access(ctx: RouteContext, type: RepoType, id: string, mode: Access): FakeRepo | Response {
    const repo = this.repo(type, id);
    const namespace = (id.split("/")[0] ?? "").toLowerCase();
    const member = isMember(ctx.user, namespace);
    if (!repo || (repo.private && !member)) {
      return ctx.user === undefined
        ? hubError(401, "Repository not found", "RepoNotFound")
        : hubError(404, "Repository not found", "RepoNotFound");
    }
    if (mode === "write") {
      if (ctx.user === undefined) {
        return hubError(401, "You must be authenticated to write to a repo");
      }
      if (!member || ctx.user.canWrite === false) {
        return hubError(403, `You don't have the rights to write to this ${type} repo (${id})`);
      }
    }
    if (mode === "download" && repo.gated !== false && !member) {
      return ctx.user === undefined
        ? hubError(
            401,
            `Access to ${type} ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
            "GatedRepo",
          )
        : hubError(403, `Access to ${type} ${id} is restricted and you are not in the authorized list.`, "GatedRepo");
    }
    return repo;
  }

  /**
   * The bucket a request may use, or the Hub's answer instead: as for repos, a missing bucket and a
   * private one of someone else are both "not found" (RepoNotFound: huggingface_hub's BucketNotFoundError),
   * 401 without a token; writes need a token with write rights on the namespace.
   */
  bucketAccess(ctx: RouteContext, id: string, mode: "read" | "write"): FakeBucket | Response {
    const bucket = this.bucket(id);
    const member = isMember(ctx.user, id.split("/")[0] ?? "");
    if (!bucket || (bucket.private && !member)) {
      return hubError(ctx.user === undefined ? 401 : 404, "Bucket not found", "RepoNotFound");
    }
    if (mode === "write") {
      if (ctx.user === undefined) {
        return hubError(401, "You must be authenticated to write to a bucket");
      }
      if (!member || ctx.user.canWrite === false) {
        return hubError(403, `You don't have the rights to write to this bucket (${bucket.id})`);
      }
    }
    return bucket;
  }

  private async route(request: Request, url: URL, record: RecordedRequest): Promise<Response> {
    const method = request.method;
    const route = parseHubPath(url.pathname);
    const noRoute = (): Response => hubError(404, `emulator: no route for ${method} ${safeDecode(url.pathname)}`);
    if (url.pathname === XET_PATH || url.pathname.startsWith(`${XET_PATH}/`)) {
      return this.xet ? this.xet.handle(request, url, record) : noRoute();
    }
    if (!route) {
      // Under a repo that does not exist, any path is answered as the Hub does: repository not found.
      const named = repoOfPath(url.pathname);
      if (named === undefined || this.repo(named.type, named.id) !== undefined) {
        return noRoute();
      }
      const ctx = this.context(request, url, record);
      return ctx instanceof Response ? ctx : (this.access(ctx, named.type, named.id, "read") as Response);
    }
    if (route.kind === "lfs-put") {
      return method === "PUT" ? this.lfsStore.receive(request, route.oid, route.part, record) : noRoute();
    }
    if (route.kind === "lfs-complete") {
      return method === "POST" ? this.lfsStore.complete(request, route.oid) : noRoute();
    }
    if (route.kind === "emulator-state") {
      return method === "GET" ? jsonResponse(this.state()) : noRoute();
    }
    if (route.kind === "validate-yaml") {
      return method === "POST" ? validateYamlRoute(request) : noRoute();
    }
    if (route.kind === "unsupported") {
      return hubError(404, `emulator: ${route.reason}`);
    }

    const ctx = this.context(request, url, record);
    if (ctx instanceof Response) {
      return ctx;
    }
    return (await this.dispatch(ctx, route, method)) ?? noRoute();
  }

  /** Who sent the request (an unknown token is the Hub's 401), and what routes need to answer it. */
  private context(request: Request, url: URL, record: RecordedRequest): RouteContext | Response {
    const header = request.headers.get("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    const user = token === undefined ? undefined : this.users[token];
    if (header !== null && user === undefined) {
      return hubError(401, "Invalid credentials in Authorization header");
    }
    return { hub: this, request, url, origin: url.origin, user, record };
  }

  private dispatch(ctx: RouteContext, route: HubRoute, method: string): Promise<Response> | Response | undefined {
    switch (route.kind) {
      case "whoami":
        return method === "GET" ? whoamiRoute(ctx) : undefined;
      case "create-repo":
        return method === "POST" ? createRepoRoute(ctx) : undefined;
      case "delete-repo":
        return method === "DELETE" ? deleteRepoRoute(ctx) : undefined;
      case "move-repo":
        return method === "POST" ? moveRepoRoute(ctx) : undefined;
      case "list-repos":
        return method === "GET" ? listReposRoute(ctx, route.type) : undefined;
      case "discussions":
        if (route.num === undefined) {
          return method === "GET" || method === "POST" ? discussionsRoute(ctx, route.type, route.id) : undefined;
        }
        return discussionRoute(ctx, route.type, route.id, route.num, route.rest);
      case "file":
        return method === "GET" || method === "HEAD" ? fileRoute(ctx, route) : undefined;
      case "lfs-batch":
        return method === "POST" ? lfsBatchRoute(ctx, route.type, route.id) : undefined;
      // Buckets live on Xet storage: a Hub without Xet has none.
      case "buckets":
        return method === "GET" && this.xet ? listBucketsRoute(ctx, route.namespace) : undefined;
      case "bucket-file":
        return (method === "GET" || method === "HEAD") && this.xet
          ? bucketFileRoute(ctx, this.xet, route.id, route.path)
          : undefined;
      case "bucket":
        return this.xet ? this.dispatchBucket(ctx, this.xet, route, method) : undefined;
      case "repo":
        return this.dispatchRepo(ctx, route, method);
      default:
        return undefined;
    }
  }

  private dispatchBucket(
    ctx: RouteContext,
    xet: XetCas,
    route: Extract<HubRoute, { kind: "bucket" }>,
    method: string,
  ): Promise<Response> | Response | undefined {
    const { id, rest } = route;
    switch (route.action) {
      case "info":
        return method === "GET"
          ? bucketInfoRoute(ctx, id)
          : method === "POST"
            ? createBucketRoute(ctx, id)
            : method === "DELETE"
              ? deleteBucketRoute(ctx, id)
              : undefined;
      case "tree":
        return method === "GET" ? bucketTreeRoute(ctx, id, rest) : undefined;
      case "paths-info":
        return method === "POST" ? bucketPathsInfoRoute(ctx, id) : undefined;
      case "batch":
        return method === "POST" ? bucketBatchRoute(ctx, xet, id) : undefined;
      case "settings":
        return method === "PUT" ? bucketSettingsRoute(ctx, id) : undefined;
      case "xet-read-token":
      case "xet-write-token":
        return method === "GET" ? bucketXetTokenRoute(ctx, xet, id, route.action) : undefined;
    }
  }

  private dispatchRepo(
    ctx: RouteContext,
    route: Extract<HubRoute, { kind: "repo" }>,
    method: string,
  ): Promise<Response> | Response | undefined {
    const { type, id, revision, rest } = route;
    const rev = revision ?? "main";
    if (rest !== "" && route.action !== "tree") {
      return unencodedRevision(ctx, type, id, rev);
    }
    switch (route.action) {
      case "info":
        return method === "GET" ? repoInfoRoute(ctx, type, id, revision) : undefined;
      case "preupload":
        return method === "POST" ? preuploadRoute(ctx, type, id, rev) : undefined;
      case "commit":
        return method === "POST" ? commitRoute(ctx, type, id, rev) : undefined;
      case "tree":
        return method === "GET" ? treeRoute(ctx, type, id, rev, rest) : undefined;
      case "paths-info":
        return method === "POST" ? pathsInfoRoute(ctx, type, id, rev) : undefined;
      case "commits":
        return method === "GET" ? commitsRoute(ctx, type, id, rev) : undefined;
      case "refs":
        return method === "GET" ? refsRoute(ctx, type, id) : undefined;
      case "branch":
        return method === "POST" || method === "DELETE" ? branchRoute(ctx, type, id, rev) : undefined;
      case "tag":
        return method === "POST" || method === "DELETE" ? tagRoute(ctx, type, id, rev) : undefined;
      case "settings":
        return method === "PUT" ? settingsRoute(ctx, type, id) : undefined;
      case "super-squash":
        return method === "POST" ? superSquashRoute(ctx, type, id, rev) : undefined;
      case "xet-read-token":
      case "xet-write-token":
        return method === "GET" && this.xet ? xetTokenRoute(ctx, this.xet, route) : undefined;
    }
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
