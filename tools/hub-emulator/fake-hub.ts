import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { load } from "js-yaml";

/**
 * A small, faithful emulator of the Hugging Face Hub endpoints that @huggingface/hub uses for an
 * upload (whoami, repo create, preupload, LFS batch + basic/multipart PUTs, NDJSON commit, tree,
 * resolve, validate-yaml). It is a plain `Request → Response` handler, so the same instance can be
 * served through msw (in-process tests) and through node:http on 127.0.0.1 (child-process tests,
 * the demo and the benchmark). The rules for what is LFS are ours; the real Hub's are not observable.
 */

export interface FakeHubOptions {
  /** token → user name. */
  users?: Record<string, { name: string; orgs?: string[]; canWrite?: boolean }>;
  /** Write LFS objects here instead of keeping them in memory (needed for large uploads). */
  storageDir?: string;
  /** Store no LFS content at all, only sizes and hashes (benchmarks of multi-GB uploads). */
  discardLfsContent?: boolean;
  /** Files at least this large are LFS (default 10 MiB); *.safetensors and binary files always are. */
  lfsThreshold?: number;
  /** Answer the LFS batch with multipart uploads of this part size, for objects larger than it. */
  multipartChunkSize?: number;
  /** Runs before routing; a Response returned here is sent instead (fault injection). */
  intercept?: (request: Request, hub: FakeHub) => Response | undefined | Promise<Response | undefined>;
  /**
   * Runs after routing, when the request has taken effect; may replace the answer (a lost response:
   * the commit landed but the client hears 502, or its connection drops).
   */
  postprocess?: (request: Request, response: Response, hub: FakeHub) => Response | Promise<Response>;
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
  content: Buffer | undefined;
}

export interface FakeCommit {
  oid: string;
  title: string;
  description: string;
  parent: string | undefined;
  operations: Array<{ key: string; path: string }>;
}

export interface FakeRepo {
  id: string;
  private: boolean;
  files: Map<string, FakeFile>;
  commits: FakeCommit[];
}

interface LfsObject {
  size: number;
  content: Buffer | undefined;
  file: string | undefined;
}

const LFS_EXTENSIONS =
  /\.(safetensors|bin|pt|pth|ckpt|gguf|h5|msgpack|onnx|npz|npy|pkl|pickle|zip|tar|gz|tgz|model|parquet|arrow)$/i;
const SHA256 = /^[0-9a-f]{64}$/;

export const DEFAULT_TOKEN = "hf_emulatorTokenForTestsOnly0000";

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "x-request-id": `req-${randomBytes(4).toString("hex")}`,
      ...headers,
    },
  });
}

function apiError(status: number, message: string): Response {
  return json({ error: message }, status);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function gitBlobOid(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

function lfsPointer(oid: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`);
}

export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  readonly repos = new Map<string, FakeRepo>();
  readonly lfs = new Map<string, LfsObject>();
  private readonly parts = new Map<string, Map<number, Buffer>>();
  private readonly options: FakeHubOptions;
  private commitCounter = 0;

  constructor(options: FakeHubOptions = {}) {
    this.options = options;
  }

  private get users(): Record<string, { name: string; orgs?: string[]; canWrite?: boolean }> {
    return this.options.users ?? { [DEFAULT_TOKEN]: { name: "alice", orgs: ["olmo-org"] } };
  }

  /** Requests recorded so far whose path matches. */
  count(method: string, pathPattern: RegExp): number {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path)).length;
  }

  /** The bytes of a file as the repo now stores it (LFS content resolved). */
  async fileContent(repoId: string, filePath: string): Promise<Buffer> {
    const file = this.repos.get(repoId)?.files.get(filePath);
    if (!file) {
      throw new Error(`${repoId} has no file ${filePath}`);
    }
    if (file.content) {
      return file.content;
    }
    const object = file.lfs && this.lfs.get(file.lfs.oid);
    if (object?.content) {
      return object.content;
    }
    if (object?.file) {
      return readFile(object.file);
    }
    throw new Error(`${repoId}/${filePath}: LFS content was not kept`);
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const record: RecordedRequest = {
      method: request.method,
      path: decodeURIComponent(url.pathname),
      search: url.search,
      status: 0,
      authorization: request.headers.get("authorization") ?? undefined,
      bytes: 0,
    };
    this.requests.push(record);
    let response: Response;
    try {
      response = (await this.options.intercept?.(request, this)) ?? (await this.route(request, url, record));
      if (this.options.postprocess) {
        response = await this.options.postprocess(request, response, this);
      }
    } catch (error) {
      response = apiError(500, `emulator error: ${error instanceof Error ? error.message : String(error)}`);
    }
    record.status = response.status;
    return response;
  }

  private user(request: Request): { name: string; orgs?: string[]; canWrite?: boolean } | undefined {
    const header = request.headers.get("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    return this.users[token];
  }

  private canWrite(user: { name: string; orgs?: string[]; canWrite?: boolean }, namespace: string): boolean {
    return user.canWrite !== false && (user.name === namespace || (user.orgs ?? []).includes(namespace));
  }

  private async route(request: Request, url: URL, record: RecordedRequest): Promise<Response> {
    const p = decodeURIComponent(url.pathname);
    const origin = url.origin;
    const method = request.method;
    let m: RegExpExecArray | null;

    if (method === "PUT" && (m = /^\/__lfs\/([0-9a-f]{64})(?:\/part\/(\d+))?$/.exec(p))) {
      return this.receiveLfs(request, m[1] ?? "", m[2] === undefined ? undefined : Number(m[2]), record);
    }
    if (method === "POST" && (m = /^\/__lfs\/([0-9a-f]{64})\/complete$/.exec(p))) {
      return this.completeMultipart(request, m[1] ?? "");
    }
    if (method === "GET" && (m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(p))) {
      const repo = this.repos.get(m[1] ?? "");
      if (!repo?.files.has(m[3] ?? "")) {
        return apiError(404, "Entry not found");
      }
      return new Response(new Uint8Array(await this.fileContent(repo.id, m[3] ?? "")), { status: 200 });
    }

    const user = this.user(request);
    if (method === "POST" && p === "/api/validate-yaml") {
      return this.validateYaml(request);
    }
    if (!user) {
      return apiError(
        401,
        request.headers.has("authorization")
          ? "Invalid credentials in Authorization header"
          : "You must be authenticated",
      );
    }

    if (method === "GET" && p === "/api/whoami-v2") {
      return json({
        type: "user",
        id: `id-${user.name}`,
        name: user.name,
        fullname: user.name,
        email: `${user.name}@example.test`,
        emailVerified: true,
        isPro: false,
        canPay: false,
        avatarUrl: "",
        periodEnd: null,
        orgs: (user.orgs ?? []).map((name) => ({
          type: "org",
          name,
          fullname: name,
          id: `id-${name}`,
          roleInOrg: "write",
        })),
        auth: {
          type: "access_token",
          accessToken: {
            displayName: "emulator",
            role: user.canWrite === false ? "read" : "write",
            createdAt: new Date(0).toISOString(),
          },
        },
      });
    }
    if (method === "POST" && p === "/api/repos/create") {
      const body = (await request.json()) as {
        name?: string;
        organization?: string;
        type?: string;
        visibility?: string;
        private?: boolean;
      };
      const namespace = body.organization ?? user.name;
      const name = body.name ?? "";
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9])){0,95}$/.test(name)) {
        return apiError(400, "Invalid repo name: letters, digits, '-', '_' and '.' only, 96 characters at most");
      }
      if (!this.canWrite(user, namespace)) {
        return apiError(403, `You don't have the rights to create a model under the namespace "${namespace}"`);
      }
      const id = `${namespace}/${name}`;
      if (this.repos.has(id)) {
        return json({ error: "You already created this model repo", url: `${origin}/${id}` }, 409);
      }
      this.repos.set(id, {
        id,
        private: body.visibility === "private" || body.private === true,
        files: new Map(),
        commits: [],
      });
      return json({ url: `${origin}/${id}`, name: id, id: `repo-${this.repos.size}` });
    }
    if (method === "GET" && (m = /^\/api\/models\/([^/]+\/[^/]+)(?:\/revision\/([^/]+))?$/.exec(p))) {
      const repo = this.repos.get(m[1] ?? "");
      if (!repo) {
        return apiError(404, "Repository not found");
      }
      return json({ id: repo.id, private: repo.private, sha: repo.commits.at(-1)?.oid ?? null });
    }
    if ((m = /^\/api\/models\/([^/]+\/[^/]+)\/(preupload|commit|tree)\/([^/]+)(?:\/(.*))?$/.exec(p))) {
      const repo = this.repos.get(m[1] ?? "");
      if (!repo) {
        return apiError(404, "Repository not found");
      }
      const [namespace] = repo.id.split("/");
      if (m[2] !== "tree" && !this.canWrite(user, namespace ?? "")) {
        return apiError(403, "You don't have the rights to write to this repo");
      }
      if (m[3] !== "main") {
        return apiError(404, `Revision ${m[3] ?? ""} not found`);
      }
      if (method === "POST" && m[2] === "preupload") {
        return this.preupload(request, repo);
      }
      if (method === "POST" && m[2] === "commit") {
        return this.commit(request, repo, origin);
      }
      if (method === "GET" && m[2] === "tree") {
        return this.tree(repo, m[4] ?? "", url.searchParams.get("recursive") === "true");
      }
    }
    if (method === "POST" && (m = /^\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(p))) {
      const repo = this.repos.get(m[1] ?? "");
      if (!repo) {
        return apiError(404, "Repository not found");
      }
      return this.lfsBatch(request, origin);
    }
    return apiError(404, `emulator: no route for ${method} ${p}`);
  }

  private async preupload(request: Request, repo: FakeRepo): Promise<Response> {
    const body = (await request.json()) as { files: Array<{ path: string; size: number; sample: string }> };
    const threshold = this.options.lfsThreshold ?? 10 * 1024 * 1024;
    return json({
      files: body.files.map((file) => {
        const sample = Buffer.from(file.sample, "base64");
        const lfs = file.size >= threshold || LFS_EXTENSIONS.test(file.path) || sample.includes(0);
        const existing = repo.files.get(file.path);
        return {
          path: file.path,
          uploadMode: lfs ? "lfs" : "regular",
          shouldIgnore: false,
          ...(existing ? { oid: existing.lfs?.oid ?? existing.gitOid } : {}),
        };
      }),
    });
  }

  private async lfsBatch(request: Request, origin: string): Promise<Response> {
    const body = (await request.json()) as {
      operation: string;
      transfers?: string[];
      objects: Array<{ oid: string; size: number }>;
    };
    if (body.operation !== "upload") {
      return apiError(400, "only uploads are supported");
    }
    const chunk = this.options.multipartChunkSize;
    return json(
      {
        transfer: "basic",
        objects: body.objects.map((object) => {
          if (!SHA256.test(object.oid)) {
            return { ...object, error: { code: 422, message: "invalid oid" } };
          }
          if (this.lfs.get(object.oid)?.size === object.size) {
            return { oid: object.oid, size: object.size, authenticated: true };
          }
          if (chunk !== undefined && object.size > chunk) {
            const header: Record<string, string> = { chunk_size: String(chunk) };
            const count = Math.ceil(object.size / chunk);
            for (let i = 1; i <= count; i++) {
              header[String(i).padStart(5, "0")] = `${origin}/__lfs/${object.oid}/part/${i}`;
            }
            return {
              oid: object.oid,
              size: object.size,
              authenticated: true,
              actions: { upload: { href: `${origin}/__lfs/${object.oid}/complete`, header } },
            };
          }
          return {
            oid: object.oid,
            size: object.size,
            authenticated: true,
            actions: { upload: { href: `${origin}/__lfs/${object.oid}` } },
          };
        }),
      },
      200,
      { "content-type": "application/vnd.git-lfs+json" },
    );
  }

  private async receiveLfs(
    request: Request,
    oid: string,
    part: number | undefined,
    record: RecordedRequest,
  ): Promise<Response> {
    const hash = createHash("sha256");
    const keep = !this.options.discardLfsContent;
    const chunks: Buffer[] = [];
    let size = 0;
    let file: string | undefined;
    let sink: ReturnType<typeof createWriteStream> | undefined;
    if (keep && part === undefined && this.options.storageDir !== undefined) {
      await mkdir(this.options.storageDir, { recursive: true });
      file = path.join(this.options.storageDir, oid);
      sink = createWriteStream(file);
    }
    if (request.body) {
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
        const buffer = Buffer.from(chunk);
        size += buffer.byteLength;
        hash.update(buffer);
        if (sink) {
          if (!sink.write(buffer)) {
            await new Promise<void>((resolve) => sink?.once("drain", () => resolve()));
          }
        } else if (keep || part !== undefined) {
          chunks.push(buffer);
        }
      }
    }
    if (sink) {
      await new Promise<void>((resolve, reject) =>
        sink?.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    record.bytes = size;
    const declared = request.headers.get("content-length");
    if (declared !== null && Number(declared) !== size) {
      return apiError(400, `Content-Length ${declared} but received ${size} bytes`);
    }
    if (part !== undefined) {
      const parts = this.parts.get(oid) ?? new Map<number, Buffer>();
      parts.set(part, Buffer.concat(chunks));
      this.parts.set(oid, parts);
      return new Response(null, {
        status: 200,
        headers: { etag: `"${createHash("md5").update(Buffer.concat(chunks)).digest("hex")}"` },
      });
    }
    if (hash.digest("hex") !== oid) {
      return apiError(400, "sha256 of the uploaded content does not match the oid");
    }
    this.lfs.set(oid, { size, content: keep && !sink ? Buffer.concat(chunks) : undefined, file });
    return new Response(null, { status: 200 });
  }

  private async completeMultipart(request: Request, oid: string): Promise<Response> {
    const body = (await request.json()) as { oid: string; parts: Array<{ partNumber: number; etag: string }> };
    const parts = this.parts.get(oid);
    if (!parts || body.oid !== oid) {
      return apiError(400, "unknown multipart upload");
    }
    const ordered: Buffer[] = [];
    for (const { partNumber, etag } of body.parts) {
      const part = parts.get(partNumber);
      if (!part || etag !== `"${createHash("md5").update(part).digest("hex")}"`) {
        return apiError(400, `part ${partNumber} missing or etag mismatch`);
      }
      ordered.push(part);
    }
    const content = Buffer.concat(ordered);
    if (createHash("sha256").update(content).digest("hex") !== oid) {
      return apiError(400, "sha256 of the assembled parts does not match the oid");
    }
    this.parts.delete(oid);
    this.lfs.set(oid, {
      size: content.byteLength,
      content: this.options.discardLfsContent ? undefined : content,
      file: undefined,
    });
    return json({ success: true });
  }

  private async commit(request: Request, repo: FakeRepo, origin: string): Promise<Response> {
    const lines = (await request.text()).split("\n").filter((line) => line.trim() !== "");
    const parsed = lines.map((line) => JSON.parse(line) as { key: string; value: Record<string, unknown> });
    const header = parsed[0];
    if (header?.key !== "header" || typeof header.value.summary !== "string" || header.value.summary.trim() === "") {
      return apiError(400, "The commit needs a header line with a summary");
    }
    const head = repo.commits.at(-1)?.oid;
    const parentCommit = header.value.parentCommit;
    if (typeof parentCommit === "string" && parentCommit !== head) {
      return apiError(412, "A commit has happened since the parent commit. Please retry with the new parent.");
    }
    const staged = new Map(repo.files);
    const operations: FakeCommit["operations"] = [];
    for (const { key, value } of parsed.slice(1)) {
      const filePath = text(value.path);
      if (
        filePath === "" ||
        filePath.startsWith("/") ||
        filePath.split("/").includes("..") ||
        filePath.startsWith(".git/")
      ) {
        return apiError(400, `Invalid path in commit: ${filePath}`);
      }
      if (key === "file") {
        const content = Buffer.from(text(value.content), value.encoding === "base64" ? "base64" : "utf8");
        if (filePath === "README.md") {
          const problem = validateFrontMatter(content.toString("utf8"));
          if (problem) {
            return apiError(400, `Invalid metadata in README.md.\n- ${problem}`);
          }
        }
        staged.set(filePath, { size: content.byteLength, gitOid: gitBlobOid(content), lfs: undefined, content });
      } else if (key === "lfsFile") {
        const oid = text(value.oid);
        const object = this.lfs.get(oid);
        if (!object || object.size !== value.size) {
          return apiError(422, `LFS object ${oid} for ${filePath} was never uploaded`);
        }
        staged.set(filePath, {
          size: object.size,
          gitOid: gitBlobOid(lfsPointer(oid, object.size)),
          lfs: { oid, size: object.size },
          content: undefined,
        });
      } else if (key === "deletedFile") {
        staged.delete(filePath);
      } else {
        return apiError(400, `Unknown commit operation ${key}`);
      }
      operations.push({ key, path: filePath });
    }
    this.commitCounter++;
    const oid = createHash("sha1")
      .update(`${repo.id}:${this.commitCounter}:${String(header.value.summary)}`)
      .digest("hex");
    repo.files = staged;
    repo.commits.push({
      oid,
      title: String(header.value.summary),
      description: text(header.value.description),
      parent: head,
      operations,
    });
    return json({ success: true, commitOid: oid, commitUrl: `${origin}/${repo.id}/commit/${oid}`, hookOutput: "" });
  }

  private tree(repo: FakeRepo, prefix: string, recursive: boolean): Response {
    const entries = [...repo.files]
      .filter(([filePath]) => prefix === "" || filePath.startsWith(`${prefix}/`))
      .filter(([filePath]) => recursive || !filePath.slice(prefix === "" ? 0 : prefix.length + 1).includes("/"))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([filePath, file]) => ({
        type: "file",
        oid: file.gitOid,
        size: file.size,
        path: filePath,
        ...(file.lfs
          ? {
              lfs: {
                oid: file.lfs.oid,
                size: file.lfs.size,
                pointerSize: lfsPointer(file.lfs.oid, file.lfs.size).byteLength,
              },
            }
          : {}),
      }));
    return json(entries);
  }

  private async validateYaml(request: Request): Promise<Response> {
    const body = (await request.json()) as { content?: string; repoType?: string };
    const problem = validateFrontMatter(body.content ?? "");
    return problem ? json({ error: problem }, 400) : json({ warnings: [] });
  }
}

/**
 * The checks the Hub is known to make on model-card metadata that matter to us: the front matter is a
 * YAML mapping, and `base_model` / `datasets` hold Hub ids, never local paths.
 */
export function validateFrontMatter(readme: string): string | undefined {
  const match = /^---[\n\r]+([\S\s]*?)[\n\r]+---[\n\r]/.exec(readme);
  if (!match) {
    return undefined;
  }
  let metadata: unknown;
  try {
    metadata = load(match[1] ?? "");
  } catch (error) {
    return `YAML front matter does not parse: ${(error as Error).message.split("\n")[0] ?? ""}`;
  }
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    return "YAML front matter must be a mapping";
  }
  for (const key of ["base_model", "datasets"]) {
    const value = (metadata as Record<string, unknown>)[key];
    if (value === undefined) {
      continue;
    }
    const ids = Array.isArray(value) ? value : [value];
    for (const id of ids) {
      if (typeof id !== "string" || !/^[\w.-]+(\/[\w.-]+)?$/.test(id)) {
        return `"${key}" must be a Hub id or a list of them, got ${JSON.stringify(id)}`;
      }
    }
  }
  return undefined;
}
