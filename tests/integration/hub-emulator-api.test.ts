import { createHash, randomBytes } from "node:crypto";
import {
  commit,
  createBranch,
  createRepo,
  datasetInfo,
  deleteBranch,
  downloadFile,
  HubApiError,
  listCommits,
  listFiles,
  modelInfo,
  pathsInfo,
  type CommitOutput,
  type RepoDesignation,
} from "@huggingface/hub";
import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN } from "../../emulator/fake-hub.js";
import { TEST_HUB } from "../helpers/run-cli.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const auth = { hubUrl: TEST_HUB, accessToken: DEFAULT_TOKEN } as const;
const MODEL = { type: "model", name: "alice/emu-model" } as const;
const DATASET = { type: "dataset", name: "alice/emu-data" } as const;
const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

async function add(
  repo: RepoDesignation,
  files: Record<string, string | Uint8Array>,
  options: { branch?: string; parentCommit?: string; isPullRequest?: boolean; title?: string } = {},
): Promise<CommitOutput> {
  const output = await commit({
    ...auth,
    repo,
    title: options.title ?? `add ${Object.keys(files).join(", ")}`,
    useXet: false,
    ...options,
    operations: Object.entries(files).map(([path, content]) => ({
      operation: "addOrUpdate" as const,
      path,
      content: new Blob([typeof content === "string" ? content : new Uint8Array(content)]),
    })),
  });
  if (!output) {
    throw new Error("commit returned nothing");
  }
  return output;
}

/** A raw call, for the endpoints @huggingface/hub has no function for (tags, refs, settings). */
async function call(method: string, path: string, body?: unknown, token: string | null = DEFAULT_TOKEN) {
  const response = await fetch(`${TEST_HUB}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text === "" ? undefined : JSON.parse(text)) as Record<string, unknown> & { error?: string },
  };
}

async function text(repo: RepoDesignation, path: string, revision?: string): Promise<string | undefined> {
  const blob = await downloadFile({ ...auth, repo, path, ...(revision === undefined ? {} : { revision }) });
  return blob ? await blob.text() : undefined;
}

/** The files at a revision: listFiles of @huggingface/hub sends the revision raw, so a slash needs our own request. */
async function paths(repo: RepoDesignation, revision?: string): Promise<string[]> {
  const out: string[] = [];
  if (revision?.includes("/")) {
    const kind = typeof repo === "string" ? "model" : repo.type;
    const name = typeof repo === "string" ? repo : repo.name;
    const listed = await call("GET", `/api/${kind}s/${name}/tree/${encodeURIComponent(revision)}?recursive=true`);
    return (listed.json as unknown as Array<{ type: string; path: string }>).map((e) => `${e.type}:${e.path}`);
  }
  for await (const entry of listFiles({ ...auth, repo, recursive: true, ...(revision ? { revision } : {}) })) {
    out.push(`${entry.type}:${entry.path}`);
  }
  return out;
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubApiError) {
      return error.statusCode;
    }
    throw error;
  }
  return 200;
}

describe("Hub emulator: datasets", () => {
  it("creates, commits, lists and serves a dataset repo, LFS included, keyed datasets/<id>", async () => {
    const hub = useFakeHub();
    const parquet = randomBytes(4096);
    const created = await createRepo({ ...auth, repo: DATASET });
    expect(created.repoUrl).toBe(`${TEST_HUB}/datasets/alice/emu-data`);

    await add(DATASET, { "data/train.parquet": parquet, "README.md": "---\nlicense: mit\n---\n# Data\n" });

    expect([...hub.repos.keys()]).toEqual(["datasets/alice/emu-data"]);
    expect(hub.repos.get("datasets/alice/emu-data")?.files.get("data/train.parquet")?.lfs?.oid).toBe(sha256(parquet));
    expect(hub.count("POST", /^\/datasets\/alice\/emu-data\.git\/info\/lfs\/objects\/batch$/)).toBe(1);
    expect(await paths(DATASET)).toEqual([
      "file:.gitattributes",
      "file:README.md",
      "directory:data",
      "file:data/train.parquet",
    ]);
    const blob = await downloadFile({ ...auth, repo: DATASET, path: "data/train.parquet" });
    expect(sha256(new Uint8Array(await (blob as Blob).arrayBuffer()))).toBe(sha256(parquet));
    const info = await datasetInfo({ ...auth, name: DATASET.name });
    expect(info).toMatchObject({ name: "alice/emu-data", private: false, gated: false });
    const raw = await call("GET", "/api/datasets/alice/emu-data");
    expect(raw.json).toMatchObject({ id: "alice/emu-data", cardData: { license: "mit" } });
    expect(raw.json.sha).toBe(commitsAfterInitial(hub.repos.get("datasets/alice/emu-data"))[0]?.oid);
  });

  it("a model and a dataset may share an id; each type answers only for its own repo", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: { type: "model", name: "alice/same" } });
    await createRepo({ ...auth, repo: { type: "dataset", name: "alice/same" } });
    await add({ type: "dataset", name: "alice/same" }, { "rows.csv": "a,b\n" });

    expect([...hub.repos.keys()].sort()).toEqual(["alice/same", "datasets/alice/same"]);
    expect(await paths({ type: "model", name: "alice/same" })).toEqual(["file:.gitattributes"]);
    expect(await text({ type: "dataset", name: "alice/same" }, "rows.csv")).toBe("a,b\n");
    expect((await call("GET", "/api/datasets/alice/nothing")).status).toBe(404);
  });

  it("checks dataset-card metadata in validate-yaml and in commits", async () => {
    useFakeHub();
    await createRepo({ ...auth, repo: DATASET });
    const bad = "---\nconfigs:\n  - data_files: train.csv\n---\n";
    const good =
      "---\nconfigs:\n  - config_name: default\n    data_files:\n      - split: train\n        path: train.csv\n---\n";

    const rejected = await call("POST", "/api/validate-yaml", { content: bad, repoType: "dataset" });
    const accepted = await call("POST", "/api/validate-yaml", { content: good, repoType: "dataset" });
    const asModel = await call("POST", "/api/validate-yaml", { content: "---\nbase_model: /Users/me/x\n---\n" });

    expect(rejected).toMatchObject({
      status: 400,
      json: { error: 'every entry of "configs" needs a "config_name" string' },
    });
    expect(accepted).toMatchObject({ status: 200, json: { warnings: [] } });
    expect(asModel.status).toBe(400);
    expect(await statusOf(add(DATASET, { "README.md": bad }))).toBe(400);
  });
});

describe("Hub emulator: branches", () => {
  it("creates a branch at main, commits to it, and reads every endpoint at that revision", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const first = await add(MODEL, { "a.txt": "one" });
    await createBranch({ ...auth, repo: MODEL, branch: "dev" });
    const onDev = await add(MODEL, { "b.txt": "two" }, { branch: "dev" });

    const repo = hub.repos.get(MODEL.name);
    expect(repo?.branches.get("dev")).toBe(onDev.commit.oid);
    expect(commitsAfterInitial(repo).map((c) => c.oid)).toEqual([first.commit.oid]);
    expect([...(repo?.files.keys() ?? [])]).toEqual([".gitattributes", "a.txt"]);
    expect(repo?.allCommits.get(onDev.commit.oid)).toMatchObject({
      branch: "dev",
      pullRequest: false,
      parent: first.commit.oid,
    });
    expect(await paths(MODEL, "dev")).toEqual(["file:.gitattributes", "file:a.txt", "file:b.txt"]);
    expect(await text(MODEL, "b.txt", "dev")).toBe("two");
    expect(await text(MODEL, "b.txt")).toBeUndefined();
    expect((await modelInfo({ ...auth, name: MODEL.name, revision: "dev", additionalFields: ["sha"] })).sha).toBe(
      onDev.commit.oid,
    );
    const history: string[] = [];
    for await (const entry of listCommits({ ...auth, repo: MODEL, revision: "dev" })) {
      history.push(entry.oid);
    }
    // ...and the Hub's initial commit, where main started.
    expect(history).toEqual([onDev.commit.oid, first.commit.oid, repo?.commits[0]?.oid]);
  });

  it("starts a branch at any revision, refuses an existing one (409) and a commit to a missing one (404)", async () => {
    useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const first = await add(MODEL, { "a.txt": "one" });
    await add(MODEL, { "a.txt": "two" });
    await createBranch({ ...auth, repo: MODEL, branch: "old", revision: first.commit.oid.slice(0, 7) });

    expect(await text(MODEL, "a.txt", "old")).toBe("one");
    const again = await call("POST", "/api/models/alice/emu-model/branch/old", {});
    expect(again).toMatchObject({ status: 409, json: { error: "Reference refs/heads/old already exists" } });
    expect(await statusOf(createBranch({ ...auth, repo: MODEL, branch: "x", revision: "nope" }))).toBe(404);
    const missing = await call("POST", "/api/models/alice/emu-model/preupload/nowhere", { files: [] });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-error-code")).toBe("RevisionNotFound");
    expect(await statusOf(add(MODEL, { "c.txt": "x" }, { branch: "nowhere" }))).toBe(404);
    expect((await call("POST", "/api/models/alice/emu-model/branch/refs%2Fpr%2F5", {})).status).toBe(400);
  });

  it("deletes a branch; main cannot be deleted and an unknown branch is an unknown revision", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    await add(MODEL, { "a.txt": "one" });
    await createBranch({ ...auth, repo: MODEL, branch: "gone" });

    await deleteBranch({ ...auth, repo: MODEL, branch: "gone" });

    expect(hub.repos.get(MODEL.name)?.branches.has("gone")).toBe(false);
    expect(await statusOf(deleteBranch({ ...auth, repo: MODEL, branch: "gone" }))).toBe(404);
    expect(await call("DELETE", "/api/models/alice/emu-model/branch/main")).toMatchObject({
      status: 403,
      json: { error: "Cannot delete refs/heads/main" },
    });
  });
});

describe("Hub emulator: pull requests", () => {
  it("create_pr opens refs/pr/N on top of the branch, answers pullRequestUrl, and leaves the branch alone", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const base = await add(MODEL, { "a.txt": "one" });

    const pr = await add(MODEL, { "a.txt": "proposed" }, { isPullRequest: true, title: "Propose" });
    const second = await add(MODEL, { "b.txt": "more" }, { isPullRequest: true });

    expect(pr.pullRequestUrl).toBe(`${TEST_HUB}/alice/emu-model/discussions/1`);
    expect(second.pullRequestUrl).toBe(`${TEST_HUB}/alice/emu-model/discussions/2`);
    const repo = hub.repos.get(MODEL.name);
    expect(repo?.branches.get("main")).toBe(base.commit.oid);
    expect(repo?.allCommits.get(pr.commit.oid)).toMatchObject({
      branch: "refs/pr/1",
      pullRequest: true,
      parent: base.commit.oid,
    });
    expect(await text(MODEL, "a.txt")).toBe("one");
    expect(await text(MODEL, "a.txt", "refs/pr/1")).toBe("proposed");
    expect(await paths(MODEL, "refs/pr/1")).toEqual(["file:.gitattributes", "file:a.txt"]);
    const refs = await call("GET", "/api/models/alice/emu-model/refs?include_prs=1");
    expect(refs.json.pullRequests).toEqual([
      { name: "refs/pr/1", ref: "refs/pr/1", targetCommit: pr.commit.oid },
      { name: "refs/pr/2", ref: "refs/pr/2", targetCommit: second.commit.oid },
    ]);
    expect((await call("GET", "/api/models/alice/emu-model/refs")).json).not.toHaveProperty("pullRequests");
  });

  it("answers the NDJSON commit with pullRequestUrl and pullRequestRevision, and accepts commits on refs/pr/N", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const header = { key: "header", value: { summary: "PR", description: "" } };
    const file = {
      key: "file",
      value: { path: "x.txt", content: Buffer.from("x").toString("base64"), encoding: "base64" },
    };
    const response = await fetch(`${TEST_HUB}/api/models/alice/emu-model/commit/main?create_pr=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, "content-type": "application/x-ndjson" },
      body: `${JSON.stringify(header)}\n${JSON.stringify(file)}\n`,
    });
    const answer = (await response.json()) as Record<string, string>;

    expect(answer).toMatchObject({
      success: true,
      pullRequestUrl: `${TEST_HUB}/alice/emu-model/discussions/1`,
      pullRequestRevision: "refs/pr/1",
      commitUrl: `${TEST_HUB}/alice/emu-model/commit/${answer.commitOid}`,
    });
    const onPr = await add(MODEL, { "y.txt": "y" }, { branch: "refs/pr/1" });
    expect(hub.repos.get(MODEL.name)?.pullRequests.get(1)?.head).toBe(onPr.commit.oid);
    // main stays at the Hub's initial commit; the pull request is based on it.
    const main = hub.repos.get(MODEL.name)?.branches.get("main");
    expect(hub.repos.get(MODEL.name)?.allCommits.get(main ?? "")?.title).toBe("initial commit");
    expect(await paths(MODEL, "refs/pr/1")).toEqual(["file:.gitattributes", "file:x.txt", "file:y.txt"]);
  });
});

describe("Hub emulator: revisions in URL paths, as the Hub reads them", () => {
  it("reads a revision with a slash only percent-encoded; raw, its first segment is the revision", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    await add(MODEL, { "a.txt": "one" });
    await createBranch({ ...auth, repo: MODEL, branch: "feature/x" });
    const onBranch = await add(MODEL, { "b.txt": "two" }, { branch: "feature/x" });
    await add(MODEL, { "c.txt": "proposed" }, { isPullRequest: true });
    const encoded = (revision: string): string => encodeURIComponent(revision);

    const commits = await call("GET", `/api/models/alice/emu-model/commits/${encoded("feature/x")}`);
    const rawPr = await call("GET", "/api/models/alice/emu-model/tree/refs/pr/1");
    const rawBranch = await call("GET", "/api/models/alice/emu-model/commits/feature/x");
    const rawPreupload = await call("POST", "/api/models/alice/emu-model/preupload/refs/pr/1", { files: [] });
    const rawRevision = await call("GET", "/api/models/alice/emu-model/revision/refs/pr/1");
    const twice = await call("GET", `/api/models/alice/emu-model/revision/${encoded(encoded("refs/pr/1"))}`);
    const rawPastKnown = await call("GET", "/api/models/alice/emu-model/commits/main/x");
    const prFile = await fetch(`${TEST_HUB}/alice/emu-model/resolve/${encoded("refs/pr/1")}/c.txt`, {
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}` },
    });
    const rawPrFile = await fetch(`${TEST_HUB}/alice/emu-model/resolve/refs/pr/1/c.txt`, {
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}` },
    });

    expect((commits.json as unknown as Array<{ id: string }>)[0]?.id).toBe(onBranch.commit.oid);
    expect(await paths(MODEL, "refs/pr/1")).toEqual(["file:.gitattributes", "file:a.txt", "file:c.txt"]);
    expect(await paths(MODEL, "feature/x")).toEqual(["file:.gitattributes", "file:a.txt", "file:b.txt"]);
    for (const [answer, revision] of [
      [rawPr, "refs"],
      [rawBranch, "feature"],
      [rawPreupload, "refs"],
      [rawRevision, "refs"],
      [twice, "refs%2Fpr%2F1"],
    ] as const) {
      expect(answer.status).toBe(404);
      expect(answer.json.error).toBe(`Invalid rev id: ${revision}`);
      expect(answer.headers.get("x-error-code")).toBe("RevisionNotFound");
    }
    expect(rawPastKnown.status).toBe(404);
    expect(rawPastKnown.headers.get("x-error-code")).toBeNull();
    expect(await prFile.text()).toBe("proposed");
    expect(rawPrFile.status).toBe(404);
    expect(rawPrFile.headers.get("x-error-code")).toBe("RevisionNotFound");
    // @huggingface/hub's listFiles and listCommits send the revision raw: against the Hub they fail.
    expect(await statusOf(listFiles({ ...auth, repo: MODEL, revision: "refs/pr/1" }).next())).toBe(404);
    expect(await statusOf(listCommits({ ...auth, repo: MODEL, revision: "feature/x" }).next())).toBe(404);
    expect(hub.repos.get(MODEL.name)?.branches.get("feature/x")).toBe(onBranch.commit.oid);
  });
});

describe("Hub emulator: tags and refs", () => {
  it("tags a revision, lists it in refs, reads at it, and refuses an existing tag (409)", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const first = await add(MODEL, { "a.txt": "one" });
    const second = await add(MODEL, { "a.txt": "two" });

    const tagged = await call("POST", "/api/models/alice/emu-model/tag/main", { tag: "v1", message: "first release" });
    const byOid = await call("POST", `/api/models/alice/emu-model/tag/${first.commit.oid}`, { tag: "v0" });
    const again = await call("POST", "/api/models/alice/emu-model/tag/main", { tag: "v1" });
    const unknown = await call("POST", "/api/models/alice/emu-model/tag/nope", { tag: "v2" });
    const invalid = await call("POST", "/api/models/alice/emu-model/tag/main", { tag: "invalid tag" });

    expect([tagged.status, byOid.status, again.status, unknown.status, invalid.status]).toEqual([
      200, 200, 409, 404, 400,
    ]);
    expect(unknown.headers.get("x-error-code")).toBe("RevisionNotFound");
    expect(unknown.json.error).toBe("Invalid rev id: nope");
    expect(hub.repos.get(MODEL.name)?.tags.get("v1")).toEqual({ commit: second.commit.oid, message: "first release" });
    expect(await text(MODEL, "a.txt", "v0")).toBe("one");
    expect(await text(MODEL, "a.txt", "refs/tags/v1")).toBe("two");
    const refs = await call("GET", "/api/models/alice/emu-model/refs");
    expect(refs.json).toEqual({
      branches: [{ name: "main", ref: "refs/heads/main", targetCommit: second.commit.oid }],
      converts: [],
      tags: [
        { name: "v1", ref: "refs/tags/v1", targetCommit: second.commit.oid },
        { name: "v0", ref: "refs/tags/v0", targetCommit: first.commit.oid },
      ],
    });
  });

  it("deletes a tag; deleting an unknown tag is an unknown revision (404)", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: DATASET });
    await add(DATASET, { "a.csv": "1" });
    await call("POST", "/api/datasets/alice/emu-data/tag/main", { tag: "v1" });

    const deleted = await call("DELETE", "/api/datasets/alice/emu-data/tag/v1");
    const again = await call("DELETE", "/api/datasets/alice/emu-data/tag/v1");

    expect([deleted.status, again.status]).toEqual([200, 404]);
    expect(hub.repos.get("datasets/alice/emu-data")?.tags.size).toBe(0);
    expect((await call("GET", "/api/datasets/alice/emu-data/revision/v1")).status).toBe(404);
  });
});

describe("Hub emulator: history, declared parent, settings, access", () => {
  it("lists commits newest first with the Hub's fields, paginated through Link", async () => {
    useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const oids: string[] = [];
    for (const n of [1, 2, 3]) {
      oids.push((await add(MODEL, { "n.txt": String(n) }, { title: `commit ${n}` })).commit.oid);
    }

    const page = await call("GET", "/api/models/alice/emu-model/commits/main?limit=2");
    const listed: string[] = [];
    for await (const entry of listCommits({ ...auth, repo: MODEL, batchSize: 2 })) {
      listed.push(entry.title);
      expect(entry.authors).toEqual([{ username: "alice", avatarUrl: "" }]);
      expect(entry.date.getTime()).not.toBeNaN();
    }

    // The 3 commits and the Hub's initial commit.
    expect(page.headers.get("x-total-count")).toBe("4");
    expect(page.headers.get("link")).toMatch(/[?&]p=1.*; rel="next"$/);
    expect(page.json).toEqual([
      expect.objectContaining({
        id: oids[2],
        title: "commit 3",
        message: "",
        authors: [{ user: "alice", avatar: "" }],
      }),
      expect.objectContaining({ id: oids[1], title: "commit 2" }),
    ]);
    expect(listed).toEqual(["commit 3", "commit 2", "commit 1", "initial commit"]);
    expect((await call("GET", "/api/models/alice/emu-model/commits/missing")).status).toBe(404);
  });

  it("records the parentCommit the client declared, next to the git parent, and refuses a moved parent (412)", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });
    const first = await add(MODEL, { "a.txt": "one" });
    const second = await add(MODEL, { "a.txt": "two" }, { parentCommit: first.commit.oid });

    const stale = await statusOf(add(MODEL, { "a.txt": "three" }, { parentCommit: first.commit.oid }));

    const [initial, ...commits] = hub.repos.get(MODEL.name)?.commits ?? [];
    expect(commits.map((c) => [c.parent, c.declaredParent])).toEqual([
      [initial?.oid, undefined],
      [first.commit.oid, first.commit.oid],
    ]);
    expect(commits[1]?.oid).toBe(second.commit.oid);
    expect(stale).toBe(412);
    expect(hub.state().repos[0]?.commits.map((c) => c.declaredParent)).toEqual([null, null, first.commit.oid]);
  });

  it("updates private and gated through settings, reported by repo info", async () => {
    const hub = useFakeHub();
    await createRepo({ ...auth, repo: MODEL });

    const updated = await call("PUT", "/api/models/alice/emu-model/settings", { gated: "manual", private: true });
    const bad = await call("PUT", "/api/models/alice/emu-model/settings", { gated: "sometimes" });

    expect(updated.status).toBe(200);
    expect(bad.status).toBe(400);
    expect(await modelInfo({ ...auth, name: MODEL.name })).toMatchObject({ private: true, gated: "manual" });
    await call("PUT", "/api/models/alice/emu-model/settings", { gated: false, visibility: "public" });
    expect(hub.repos.get(MODEL.name)).toMatchObject({ private: false, gated: false });
  });

  it("answers unknown repos, private repos, gated files and bad tokens like the Hub", async () => {
    useFakeHub({
      users: { [DEFAULT_TOKEN]: { name: "alice" }, hf_fake_token_of_bob: { name: "bob" } },
    });
    await createRepo({ ...auth, repo: { type: "model", name: "alice/secret" }, visibility: "private" });
    await createRepo({ ...auth, repo: MODEL });
    await add(MODEL, { "w.bin": randomBytes(64) });
    await call("PUT", "/api/models/alice/emu-model/settings", { gated: "auto" });

    const missing = await call("GET", "/api/models/alice/nothing");
    const anonymousMissing = await call("GET", "/api/models/alice/nothing", undefined, null);
    const otherUser = await call("GET", "/api/models/alice/secret", undefined, "hf_fake_token_of_bob");
    const badToken = await call("GET", "/api/models/alice/emu-model", undefined, "hf_fake_unknown_token");
    const gatedAnonymous = await call("GET", "/alice/emu-model/resolve/main/w.bin", undefined, null);
    const gatedBob = await call("GET", "/alice/emu-model/resolve/main/w.bin", undefined, "hf_fake_token_of_bob");
    const gatedTree = await call("GET", "/api/models/alice/emu-model/tree/main", undefined, null);
    const bobWrites = await call("POST", "/api/models/alice/emu-model/branch/b", {}, "hf_fake_token_of_bob");
    const noFile = await call("GET", "/alice/emu-model/resolve/main/nope.txt");

    expect([missing.status, missing.headers.get("x-error-code")]).toEqual([404, "RepoNotFound"]);
    expect([anonymousMissing.status, anonymousMissing.headers.get("x-error-code")]).toEqual([401, "RepoNotFound"]);
    expect(otherUser.status).toBe(404);
    expect([badToken.status, badToken.json.error]).toEqual([401, "Invalid credentials in Authorization header"]);
    expect([gatedAnonymous.status, gatedAnonymous.headers.get("x-error-code")]).toEqual([401, "GatedRepo"]);
    expect([gatedBob.status, gatedBob.headers.get("x-error-code")]).toEqual([403, "GatedRepo"]);
    expect(gatedTree.status).toBe(200);
    expect(bobWrites.status).toBe(403);
    expect([noFile.status, noFile.headers.get("x-error-code")]).toEqual([404, "EntryNotFound"]);
    expect(await statusOf(createRepo({ ...auth, repo: MODEL }))).toBe(409);
  });

  it("serves byte ranges and the download headers of an LFS file; paths-info answers like tree", async () => {
    useFakeHub();
    const weights = randomBytes(1000);
    await createRepo({ ...auth, repo: MODEL });
    const done = await add(MODEL, { "w.safetensors": weights, "dir/readme.txt": "hi" });

    const ranged = await fetch(`${TEST_HUB}/alice/emu-model/resolve/main/w.safetensors`, {
      headers: { range: "bytes=10-19" },
    });
    const head = await fetch(`${TEST_HUB}/alice/emu-model/resolve/${done.commit.oid}/w.safetensors`, {
      method: "HEAD",
    });
    const pointer = await (await fetch(`${TEST_HUB}/alice/emu-model/raw/main/w.safetensors`)).text();
    const info = await pathsInfo({ ...auth, repo: MODEL, paths: ["w.safetensors", "dir", "missing"] });

    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(weights.subarray(10, 20));
    expect(head.headers.get("x-linked-size")).toBe("1000");
    expect(head.headers.get("x-linked-etag")).toBe(`"${sha256(weights)}"`);
    expect(head.headers.get("x-repo-commit")).toBe(done.commit.oid);
    expect(pointer).toBe(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(weights)}\nsize 1000\n`);
    expect(info.map((entry) => [entry.type, entry.path, entry.lfs?.oid])).toEqual([
      ["directory", "dir", undefined],
      ["file", "w.safetensors", sha256(weights)],
    ]);
  });
});
