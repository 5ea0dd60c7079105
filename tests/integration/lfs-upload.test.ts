import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { http } from "msw";
import { describe, expect, it } from "vitest";
import { createHubFetch } from "../../src/hub/transport/create-hub-fetch.js";
import type { HubCall } from "../../src/hub/transport/hub-call.js";
import type { HubRepo } from "../../src/hub/hub-client.js";
import { HttpStatusError } from "../../src/hub/transport/http-status-error.js";
import { SourceBlob } from "../../src/hub/transport/source-blob.js";
import {
  uploadLfsObjects,
  type LfsFile,
  type LfsFileProgress,
  type UploadLfsParams,
} from "../../src/hub/lfs/upload-lfs-objects.js";
import { DEFAULT_TOKEN, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { server } from "../helpers/msw-server.js";
import { TEST_HUB } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";

const CALL: HubCall = { hubUrl: TEST_HUB, accessToken: DEFAULT_TOKEN, fetch: createHubFetch({ hubUrl: TEST_HUB }) };
const MODEL: HubRepo = { type: "model", id: "alice/x" };
const LFS_PUT = /^\/__lfs\//;

/** Real files in a temp folder, as blobs that stream from disk, with their sha256. */
async function lfsFiles(contents: Record<string, Buffer>): Promise<LfsFile[]> {
  const dir = await testdir(contents);
  return Promise.all(
    Object.entries(contents).map(async ([name, bytes]) => ({
      path: name,
      oid: createHash("sha256").update(bytes).digest("hex"),
      content: await SourceBlob.forFile(path.join(dir, name)),
    })),
  );
}

function setUp(options: FakeHubOptions = {}, repo: HubRepo = MODEL): ReturnType<typeof useFakeHub> {
  const hub = useFakeHub(options);
  hub.addRepo({ type: repo.type, id: repo.id });
  return hub;
}

async function upload(
  files: LfsFile[],
  extra: Partial<UploadLfsParams> = {},
): Promise<{ outcomes: Awaited<ReturnType<typeof uploadLfsObjects>>; progress: LfsFileProgress[] }> {
  const progress: LfsFileProgress[] = [];
  const outcomes = await uploadLfsObjects(CALL, {
    repo: MODEL,
    files,
    onProgress: (event) => progress.push(event),
    ...extra,
  });
  return { outcomes, progress };
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

/** The bodies of the LFS batch requests sent from now on (the emulator still answers them). */
function recordBatchBodies(): unknown[] {
  const bodies: unknown[] = [];
  server.use(
    http.post(/\/info\/lfs\/objects\/batch$/, async ({ request }) => {
      bodies.push(await request.clone().json());
      return undefined;
    }),
  );
  return bodies;
}

describe("uploadLfsObjects against the emulator", () => {
  it.each<HubRepo>([MODEL, { type: "dataset", id: "alice/data" }])(
    "sends a small $type file in one PUT; the storage holds exactly its bytes",
    async (repo) => {
      const hub = setUp({}, repo);
      const bytes = randomBytes(3000);
      const files = await lfsFiles({ "weights.safetensors": bytes });
      const progress: LfsFileProgress[] = [];
      const outcomes = await uploadLfsObjects(CALL, { repo, files, onProgress: (event) => progress.push(event) });
      const oid = files[0]?.oid ?? "";
      expect(outcomes).toEqual([{ path: "weights.safetensors", oid, size: 3000, sent: "basic" }]);
      expect(await hub.lfsStore.content(oid)).toEqual(bytes);
      expect(hub.count("PUT", LFS_PUT)).toBe(1);
      expect(progress.at(-1)).toEqual({ path: "weights.safetensors", oid, bytes: 3000, size: 3000 });
    },
  );

  it("sends a large file in chunk_size parts and completes it; progress adds up to its size, never going back", async () => {
    const hub = setUp({ multipartChunkSize: 1000 });
    const big = randomBytes(2500);
    const small = randomBytes(700);
    const files = await lfsFiles({ "big.safetensors": big, "small.safetensors": small });
    const { outcomes, progress } = await upload(files);
    expect(outcomes.map((outcome) => outcome.sent)).toEqual(["multipart", "basic"]);
    expect(await hub.lfsStore.content(files[0]?.oid ?? "")).toEqual(big);
    expect(await hub.lfsStore.content(files[1]?.oid ?? "")).toEqual(small);
    expect(hub.count("PUT", /\/part\/\d+$/)).toBe(3);
    expect(hub.count("POST", /\/complete$/)).toBe(1);
    const bigProgress = progress.filter((event) => event.path === "big.safetensors").map((event) => event.bytes);
    expect(bigProgress.at(-1)).toBe(2500);
    expect(bigProgress).toEqual([...bigProgress].sort((a, b) => a - b));
  });

  it("sends nothing for objects the storage already holds, and reports no progress for them", async () => {
    const hub = setUp({ multipartChunkSize: 1000 });
    const files = await lfsFiles({ "big.safetensors": randomBytes(2500), "small.safetensors": randomBytes(10) });
    await upload(files);
    const putsBefore = hub.count("PUT", LFS_PUT);
    const { outcomes, progress } = await upload(files);
    expect(outcomes.map((outcome) => outcome.sent)).toEqual(["already-stored", "already-stored"]);
    expect(hub.count("PUT", LFS_PUT)).toBe(putsBefore);
    expect(hub.count("POST", /\.git\/info\/lfs\/objects\/batch$/)).toBe(2);
    expect(progress).toEqual([]);
  });

  it("asks for and sends the same content once when two paths hold it", async () => {
    const hub = setUp();
    const bytes = randomBytes(500);
    const files = await lfsFiles({ "a.safetensors": bytes, "b.safetensors": bytes });
    const bodies = recordBatchBodies();
    const { outcomes, progress } = await upload(files);
    expect(bodies).toEqual([expect.objectContaining({ objects: [{ oid: files[0]?.oid, size: 500 }] })]);
    expect(outcomes.map((outcome) => outcome.sent)).toEqual(["basic", "basic"]);
    expect(hub.count("PUT", LFS_PUT)).toBe(1);
    expect(new Set(progress.filter((event) => event.bytes === 500).map((event) => event.path))).toEqual(
      new Set(["a.safetensors", "b.safetensors"]),
    );
  });

  it.each([
    [false, { ref: { name: "dev" } }],
    [true, {}],
  ])("names the branch in the batch request unless it is for a pull request (%s)", async (isPullRequest, ref) => {
    setUp();
    const files = await lfsFiles({ "w.safetensors": randomBytes(100) });
    const bodies = recordBatchBodies();
    await upload(files, { branch: "dev", isPullRequest });
    expect(bodies).toEqual([
      {
        operation: "upload",
        transfers: ["basic", "multipart"],
        hash_algo: "sha_256",
        ...ref,
        objects: [{ oid: files[0]?.oid, size: 100 }],
      },
    ]);
  });

  it("reports an object the Hub refuses, with its path and the Hub's reason, before sending anything", async () => {
    const hub = setUp({
      postprocess: async (request, response) => {
        if (!request.url.endsWith("/objects/batch")) {
          return response;
        }
        const answer = (await response.json()) as { objects: Array<Record<string, unknown>> };
        const [first, ...rest] = answer.objects;
        return Response.json(
          { ...answer, objects: [{ oid: first?.["oid"], error: { code: 422, message: "too large" } }, ...rest] },
          { headers: { "x-request-id": "req-42" } },
        );
      },
    });
    const files = await lfsFiles({ "a.safetensors": randomBytes(100), "b.safetensors": randomBytes(200) });
    const error = await rejection(upload(files));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ statusCode: 422, requestId: "req-42" });
    expect(error.message).toBe(`the Hub refused the LFS object of a.safetensors (${files[0]?.oid}): too large`);
    expect(hub.count("PUT", LFS_PUT)).toBe(0);
  });

  it("fails on a part the storage answers without an ETag, and never completes that upload", async () => {
    const hub = setUp({
      multipartChunkSize: 1000,
      postprocess: (request, response) => {
        if (!request.url.endsWith("/part/2")) {
          return response;
        }
        const headers = new Headers(response.headers);
        headers.delete("etag");
        return new Response(null, { status: response.status, headers });
      },
    });
    const files = await lfsFiles({ "big.safetensors": randomBytes(2500) });
    const error = await rejection(upload(files));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).toBe("the storage server accepted part 2 of big.safetensors without an ETag");
    expect(hub.count("POST", /\/complete$/)).toBe(0);
    expect(hub.lfs.has(files[0]?.oid ?? "")).toBe(false);
  });

  it("fails on a PUT the storage refuses, naming the file and keeping the storage's message and status", async () => {
    setUp({
      intercept: (request) =>
        request.method === "PUT" ? Response.json({ error: "signature expired" }, { status: 403 }) : undefined,
    });
    const files = await lfsFiles({ "w.safetensors": randomBytes(100) });
    const error = await rejection(upload(files));
    expect(error).toMatchObject({ statusCode: 403 });
    expect(error.message).toBe("uploading w.safetensors to LFS storage: signature expired");
  });

  it("fails on a batch request the Hub refuses with its status (a repo that does not exist)", async () => {
    const hub = setUp();
    const files = await lfsFiles({ "w.safetensors": randomBytes(100) });
    const error = await rejection(upload(files, { repo: { type: "model", id: "alice/missing" } }));
    expect(error).toMatchObject({ statusCode: 404, message: "Repository not found" });
    expect(hub.count("PUT", LFS_PUT)).toBe(0);
  });

  it("sends nothing when aborted before it starts", async () => {
    const hub = setUp();
    const files = await lfsFiles({ "w.safetensors": randomBytes(100) });
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const error = await rejection(upload(files, { signal: controller.signal }));
    expect(error.message).toBe("stop");
    expect(hub.requests).toEqual([]);
  });

  it("stops the other parts after the first failure and throws that failure", async () => {
    const hub = setUp({
      multipartChunkSize: 100,
      intercept: (request) =>
        request.url.endsWith("/part/1") ? Response.json({ error: "part 1 refused" }, { status: 400 }) : undefined,
    });
    const files = await lfsFiles({ "big.safetensors": randomBytes(2000) });
    const error = await rejection(upload(files, { partConcurrency: 1 }));
    expect(error.message).toBe("uploading part 1 of big.safetensors to LFS storage: part 1 refused");
    // One at a time: the first part failed, so no other part was started.
    expect(hub.count("PUT", LFS_PUT)).toBe(1);
  });
});
