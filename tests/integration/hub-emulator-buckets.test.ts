import { beforeAll, describe, expect, it } from "vitest";
import { createXetHasher, hashToHex, type XetHasher } from "../../src/xet/index.js";
import { DEFAULT_TOKEN, FakeHub, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { testdir } from "../helpers/testdir.js";
import { seededBytes } from "../helpers/xet-inputs.js";
import { buildXetUpload, type XetUpload } from "../helpers/xet-upload.js";
import { callEmulator, EMULATOR_ORIGIN, OTHER_USER_TOKEN, READ_ONLY_TOKEN } from "../helpers/call-emulator.js";

let hasher: XetHasher;
let weights: Uint8Array;
let notes: Uint8Array;
let weightsUpload: XetUpload;
let notesUpload: XetUpload;

beforeAll(() => {
  hasher = createXetHasher();
  weights = seededBytes(31, 200_000);
  notes = seededBytes(32, 5_000);
  weightsUpload = buildXetUpload(hasher, weights, { chunksPerXorb: 2 });
  notesUpload = buildXetUpload(hasher, notes);
});

function freshHub(options: FakeHubOptions = {}): FakeHub {
  return new FakeHub({
    users: {
      [DEFAULT_TOKEN]: { name: "alice", orgs: ["lab"] },
      [OTHER_USER_TOKEN]: { name: "bob" },
      [READ_ONLY_TOKEN]: { name: "alice", canWrite: false },
    },
    ...options,
  });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Sends a file's xorbs and shard through the CAS with a token from `tokenRoute`, as hf_xet does. */
async function sendThroughCas(hub: FakeHub, tokenRoute: string, value: XetUpload): Promise<void> {
  const token = await json<{ accessToken: string; casUrl: string }>(await callEmulator(hub, "GET", tokenRoute));
  for (const xorb of value.xorbs) {
    const url = `${token.casUrl}/v1/xorbs/default/${hashToHex(xorb.hash)}`;
    expect((await callEmulator(hub, "POST", url, { token: token.accessToken, body: xorb.bytes })).status).toBe(200);
  }
  const shard = await callEmulator(hub, "POST", `${token.casUrl}/v1/shards`, {
    token: token.accessToken,
    body: value.shardBytes,
  });
  expect(shard.status).toBe(200);
}

function ndjson(...ops: object[]): string {
  return ops.map((op) => JSON.stringify(op)).join("\n");
}

/** A bucket alice/b holding weights.bin and docs/notes.txt, uploaded through its write token. */
async function filledBucket(hub: FakeHub, id = "alice/b"): Promise<void> {
  expect((await callEmulator(hub, "POST", `/api/buckets/${id}`, { body: "{}" })).status).toBe(200);
  await sendThroughCas(hub, `/api/buckets/${id}/xet-write-token`, weightsUpload);
  await sendThroughCas(hub, `/api/buckets/${id}/xet-write-token`, notesUpload);
  const batch = await callEmulator(hub, "POST", `/api/buckets/${id}/batch`, {
    body: ndjson(
      { type: "addFile", path: "weights.bin", xetHash: weightsUpload.fileHash, mtime: 1_700_000_000_000 },
      {
        type: "addFile",
        path: "docs/notes.txt",
        xetHash: notesUpload.fileHash,
        mtime: 1_700_000_000_000,
        contentType: "text/plain",
      },
    ),
  });
  expect(batch.status).toBe(200);
  expect(await batch.json()).toEqual({ failed: [] });
}

describe("Hub emulator buckets: create, info, list, settings, move, delete", () => {
  it("creates a bucket under the token's user for the namespace 'me', and answers its URL", async () => {
    const hub = freshHub();
    const created = await callEmulator(hub, "POST", "/api/buckets/me/ckpt", {
      body: JSON.stringify({ private: true }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ url: `${EMULATOR_ORIGIN}/buckets/alice/ckpt` });
    const info = await json<Record<string, unknown>>(await callEmulator(hub, "GET", "/api/buckets/alice/ckpt"));
    expect(info).toMatchObject({ id: "alice/ckpt", private: true, size: 0, totalFiles: 0 });
    expect(Date.parse(String(info.createdAt))).toBeGreaterThan(0);
    expect((await callEmulator(hub, "POST", "/api/buckets/lab/shared", { body: "{}" })).status).toBe(200);
  });

  it.each([
    ["an existing bucket, in any case", "/api/buckets/alice/B", DEFAULT_TOKEN, 409],
    ["a bucket in someone else's namespace", "/api/buckets/bob/mine", DEFAULT_TOKEN, 403],
    ["a bucket with a read-only token", "/api/buckets/alice/other", READ_ONLY_TOKEN, 403],
    ["a bucket without a token", "/api/buckets/alice/other", null, 401],
    ["a bucket with an invalid name", "/api/buckets/alice/-bad", DEFAULT_TOKEN, 400],
    ["a bucket whose name holds an encoded slash", "/api/buckets/me/c%2Fd", DEFAULT_TOKEN, 400],
  ])("refuses to create %s", async (_, url, token, status) => {
    const hub = freshHub();
    await callEmulator(hub, "POST", "/api/buckets/alice/b", { body: "{}" });
    expect((await callEmulator(hub, "POST", url, { token, body: "{}" })).status).toBe(status);
    expect([...hub.buckets.keys()]).toEqual(["alice/b"]);
  });

  it("refuses a body that is not a JSON object with a boolean private", async () => {
    const hub = freshHub();
    for (const body of ["not json", "[]", '{"private":"yes"}']) {
      expect((await callEmulator(hub, "POST", "/api/buckets/alice/b", { body })).status).toBe(400);
    }
    expect(hub.buckets.size).toBe(0);
    expect((await callEmulator(hub, "POST", "/api/buckets/alice/b")).status).toBe(200);
  });

  it("lists a namespace's buckets, private ones only to its members; an unknown namespace is 404", async () => {
    const hub = freshHub();
    await callEmulator(hub, "POST", "/api/buckets/alice/open", { body: "{}" });
    await callEmulator(hub, "POST", "/api/buckets/alice/hidden", { body: JSON.stringify({ private: true }) });
    const ids = async (url: string, token?: string | null): Promise<string[]> =>
      (await json<Array<{ id: string }>>(await callEmulator(hub, "GET", url, { token }))).map((b) => b.id);

    expect(await ids("/api/buckets/me")).toEqual(["alice/open", "alice/hidden"]);
    expect(await ids("/api/buckets/alice?search=hid")).toEqual(["alice/hidden"]);
    expect(await ids("/api/buckets/alice", OTHER_USER_TOKEN)).toEqual(["alice/open"]);
    expect(await ids("/api/buckets/alice", null)).toEqual(["alice/open"]);
    expect(await ids("/api/buckets/me", OTHER_USER_TOKEN)).toEqual([]);
    // bucket_info("open") (no namespace) asks this route: the Hub answers 404.
    expect((await callEmulator(hub, "GET", "/api/buckets/open")).status).toBe(404);
    expect((await callEmulator(hub, "GET", "/api/buckets/me", { token: null })).status).toBe(401);
  });

  it("hides a private bucket from others as not found (404 with a token, 401 without)", async () => {
    const hub = freshHub();
    await callEmulator(hub, "POST", "/api/buckets/alice/hidden", { body: JSON.stringify({ private: true }) });
    const asOther = await callEmulator(hub, "GET", "/api/buckets/alice/hidden", { token: OTHER_USER_TOKEN });
    expect(asOther.status).toBe(404);
    expect(asOther.headers.get("x-error-code")).toBe("RepoNotFound");
    expect((await callEmulator(hub, "GET", "/api/buckets/alice/hidden/tree", { token: null })).status).toBe(401);
    expect((await callEmulator(hub, "GET", "/api/buckets/alice/nothing")).status).toBe(404);

    expect(
      (await callEmulator(hub, "PUT", "/api/buckets/alice/hidden/settings", { body: '{"private":false}' })).status,
    ).toBe(200);
    expect((await callEmulator(hub, "GET", "/api/buckets/alice/hidden", { token: null })).status).toBe(200);
    expect((await callEmulator(hub, "PUT", "/api/buckets/alice/hidden/settings", { body: "{}" })).status).toBe(400);
  });

  it("moves a bucket with its files, refuses a taken name, and deletes it", async () => {
    const hub = freshHub();
    await filledBucket(hub);
    await callEmulator(hub, "POST", "/api/buckets/alice/taken", { body: "{}" });
    const move = (to: string): Promise<Response> =>
      callEmulator(hub, "POST", "/api/repos/move", {
        body: JSON.stringify({ fromRepo: "alice/b", toRepo: to, type: "bucket" }),
      });

    expect((await move("alice/taken")).status).toBe(409);
    expect((await move("bob/b")).status).toBe(403);
    expect((await move("lab/b")).status).toBe(200);
    expect((await callEmulator(hub, "GET", "/api/buckets/alice/b")).status).toBe(404);
    expect(await json(await callEmulator(hub, "GET", "/api/buckets/lab/b"))).toMatchObject({ totalFiles: 2 });
    const moved = await callEmulator(hub, "GET", "/buckets/lab/b/resolve/weights.bin");
    expect(Buffer.from(await moved.arrayBuffer()).equals(Buffer.from(weights))).toBe(true);

    expect((await callEmulator(hub, "DELETE", "/api/buckets/lab/b", { token: OTHER_USER_TOKEN })).status).toBe(403);
    expect((await callEmulator(hub, "DELETE", "/api/buckets/lab/b")).status).toBe(200);
    expect((await callEmulator(hub, "GET", "/api/buckets/lab/b")).status).toBe(404);
    expect((await callEmulator(hub, "DELETE", "/api/buckets/lab/b")).status).toBe(404);
  });
});

describe("Hub emulator buckets: files through Xet", () => {
  it("adds files uploaded through the bucket's write token, and lists them recursively, by folder and by path", async () => {
    const hub = freshHub();
    await filledBucket(hub);

    const info = await json<{ size: number; totalFiles: number }>(
      await callEmulator(hub, "GET", "/api/buckets/alice/b"),
    );
    expect(info).toMatchObject({ size: weights.length + notes.length, totalFiles: 2 });
    const tree = await json<Array<Record<string, unknown>>>(
      await callEmulator(hub, "GET", "/api/buckets/alice/b/tree"),
    );
    expect(tree).toEqual([
      {
        type: "file",
        path: "docs/notes.txt",
        size: notes.length,
        xetHash: notesUpload.fileHash,
        mtime: new Date(1_700_000_000_000).toISOString(),
        uploadedAt: expect.any(String) as string,
        contentType: "text/plain",
      },
      expect.objectContaining({
        type: "file",
        path: "weights.bin",
        size: weights.length,
        xetHash: weightsUpload.fileHash,
      }),
    ]);
    const top = await json<Array<{ type: string; path: string }>>(
      await callEmulator(hub, "GET", "/api/buckets/alice/b/tree?recursive=false"),
    );
    expect(top.map((e) => [e.type, e.path])).toEqual([
      ["directory", "docs"],
      ["file", "weights.bin"],
    ]);
    const docs = await json<Array<{ path: string }>>(
      await callEmulator(hub, "GET", "/api/buckets/alice/b/tree/docs%2F"),
    );
    expect(docs.map((e) => e.path)).toEqual(["docs/notes.txt"]);
    const paths = await callEmulator(hub, "POST", "/api/buckets/alice/b/paths-info", {
      body: JSON.stringify({ paths: ["weights.bin", "missing.bin", "docs"] }),
      headers: { "content-type": "application/json" },
    });
    expect((await json<Array<{ path: string }>>(paths)).map((e) => e.path)).toEqual(["weights.bin"]);
  });

  it("serves a file's bytes (with ranges) and the Xet headers a client downloads it with, through the bucket's read token", async () => {
    const hub = freshHub();
    await filledBucket(hub);

    const head = await callEmulator(hub, "HEAD", "/buckets/alice/b/resolve/weights.bin", { token: null });
    expect(head.status).toBe(200);
    expect(head.headers.get("x-xet-hash")).toBe(weightsUpload.fileHash);
    expect(head.headers.get("content-length")).toBe(String(weights.length));
    expect(head.headers.get("link")).toBe(
      `<${EMULATOR_ORIGIN}/api/buckets/alice/b/xet-read-token>; rel="xet-auth", ` +
        `<${EMULATOR_ORIGIN}/__xet/v1/reconstructions/${weightsUpload.fileHash}>; rel="xet-reconstruction-info"`,
    );
    const part = await callEmulator(hub, "GET", "/buckets/alice/b/resolve/weights.bin", {
      headers: { range: "bytes=100000-150009" },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(weights.subarray(100_000, 150_010)))).toBe(true);
    expect((await callEmulator(hub, "GET", "/buckets/alice/b/resolve/nothing.bin")).status).toBe(404);

    // Anyone may read a public bucket through Xet: its read token reconstructs the file, and cannot write.
    const token = await json<{ accessToken: string; casUrl: string }>(
      await callEmulator(hub, "GET", "/api/buckets/alice/b/xet-read-token", { token: null }),
    );
    const plan = await callEmulator(hub, "GET", `${token.casUrl}/v2/reconstructions/${weightsUpload.fileHash}`, {
      token: token.accessToken,
    });
    expect(plan.status).toBe(200);
    const upload = await callEmulator(hub, "POST", `${token.casUrl}/v1/shards`, {
      token: token.accessToken,
      body: notesUpload.shardBytes,
    });
    expect(upload.status).toBe(403);
    expect(
      (await callEmulator(hub, "GET", "/api/buckets/alice/b/xet-write-token", { token: OTHER_USER_TOKEN })).status,
    ).toBe(403);
  });

  it("refuses an added file not uploaded for the bucket, and bad paths, applying the rest (422 when nothing applies)", async () => {
    const hub = freshHub();
    await filledBucket(hub);
    await callEmulator(hub, "POST", "/api/buckets/alice/other", { body: "{}" });
    const stranger = buildXetUpload(hasher, seededBytes(33, 4_000));
    await sendThroughCas(hub, "/api/buckets/alice/other/xet-write-token", stranger);

    const partly = await callEmulator(hub, "POST", "/api/buckets/alice/b/batch", {
      body: ndjson(
        { type: "addFile", path: "stolen.bin", xetHash: stranger.fileHash, mtime: 1 },
        { type: "addFile", path: "../up.bin", xetHash: notesUpload.fileHash, mtime: 1 },
        { type: "addFile", path: "copy-of-notes.txt", xetHash: notesUpload.fileHash, mtime: 1 },
        { type: "deleteFile", path: "weights.bin" },
      ),
    });
    expect(partly.status).toBe(200);
    const failed = (await json<{ failed: Array<{ path: string; error: string }> }>(partly)).failed;
    expect(failed.map((f) => f.path)).toEqual(["stolen.bin", "../up.bin"]);
    expect(failed[0]?.error).toMatch(/not a Xet file uploaded for this bucket/);
    const tree = await json<Array<{ path: string }>>(await callEmulator(hub, "GET", "/api/buckets/alice/b/tree"));
    expect(tree.map((e) => e.path)).toEqual(["copy-of-notes.txt", "docs/notes.txt"]);

    const none = await callEmulator(hub, "POST", "/api/buckets/alice/b/batch", {
      body: ndjson({ type: "addFile", path: "x.bin", xetHash: "0".repeat(64), mtime: 1 }, { type: "rename" }),
    });
    expect(none.status).toBe(422);
    expect((await json<{ failed: unknown[] }>(none)).failed).toHaveLength(2);
    expect(
      (
        await callEmulator(hub, "POST", "/api/buckets/alice/b/batch", {
          token: OTHER_USER_TOKEN,
          body: ndjson({ type: "deleteFile", path: "docs/notes.txt" }),
        })
      ).status,
    ).toBe(403);
  });

  it("copies files by Xet hash from a bucket or repo that holds them, and from nowhere else", async () => {
    const hub = freshHub();
    await filledBucket(hub);
    hub.addRepo({ id: "alice/model" });
    await sendThroughCas(hub, "/api/models/alice/model/xet-write-token/main", weightsUpload);
    const commit = ndjson(
      { key: "header", value: { summary: "weights" } },
      { key: "lfsFile", value: { path: "w.bin", algo: "sha256", oid: weightsUpload.sha256, size: weights.length } },
    );
    expect((await callEmulator(hub, "POST", "/api/models/alice/model/commit/main", { body: commit })).status).toBe(200);
    await callEmulator(hub, "POST", "/api/buckets/alice/copy", { body: "{}" });
    hub.addRepo({ id: "alice/empty" });

    const copied = await callEmulator(hub, "POST", "/api/buckets/alice/copy/batch", {
      body: ndjson(
        {
          type: "copyFile",
          path: "from-bucket.txt",
          xetHash: notesUpload.fileHash,
          mtime: 1,
          sourceRepoType: "bucket",
          sourceRepoId: "alice/b",
        },
        {
          type: "copyFile",
          path: "from-model.bin",
          xetHash: weightsUpload.fileHash,
          mtime: 1,
          sourceRepoType: "model",
          sourceRepoId: "alice/model",
        },
        {
          type: "copyFile",
          path: "not-there.bin",
          xetHash: weightsUpload.fileHash,
          mtime: 1,
          sourceRepoType: "model",
          sourceRepoId: "alice/empty",
        },
        {
          type: "copyFile",
          path: "space.bin",
          xetHash: weightsUpload.fileHash,
          mtime: 1,
          sourceRepoType: "space",
          sourceRepoId: "alice/s",
        },
      ),
    });
    expect(copied.status).toBe(200);
    const failed = (await json<{ failed: Array<{ path: string }> }>(copied)).failed;
    expect(failed.map((f) => f.path)).toEqual(["not-there.bin", "space.bin"]);
    const bytes = await callEmulator(hub, "GET", "/buckets/alice/copy/resolve/from-model.bin");
    expect(Buffer.from(await bytes.arrayBuffer()).equals(Buffer.from(weights))).toBe(true);
  });

  it("keeps buckets and their files across a restart on the same --data folder", async () => {
    const dataDir = await testdir();
    const first = await FakeHub.open({ dataDir, users: { [DEFAULT_TOKEN]: { name: "alice" } } });
    await filledBucket(first);
    const second = await FakeHub.open({ dataDir, users: { [DEFAULT_TOKEN]: { name: "alice" } } });

    expect(second.state().buckets).toEqual([
      {
        id: "alice/b",
        private: false,
        files: [
          { path: "docs/notes.txt", size: notes.length, xetHash: notesUpload.fileHash },
          { path: "weights.bin", size: weights.length, xetHash: weightsUpload.fileHash },
        ],
      },
    ]);
    const read = await callEmulator(second, "GET", "/buckets/alice/b/resolve/docs/notes.txt");
    expect(Buffer.from(await read.arrayBuffer()).equals(Buffer.from(notes))).toBe(true);
  });

  it("has no buckets without Xet (xet: false), like a Hub from before Xet", async () => {
    const hub = freshHub({ xet: false });
    expect((await callEmulator(hub, "POST", "/api/buckets/alice/b", { body: "{}" })).status).toBe(404);
    expect((await callEmulator(hub, "GET", "/api/buckets/me")).status).toBe(404);
  });
});
