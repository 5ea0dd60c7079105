import { commitIter } from "@huggingface/hub";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { http } from "msw";
import { describe, expect, it } from "vitest";
import { createHubFetch } from "../../src/hub/transport/create-hub-fetch.js";
import type { HubRepo } from "../../src/hub/hub-client.js";
import { SourceBlob } from "../../src/hub/transport/source-blob.js";
import { uploadLfsObjects } from "../../src/hub/lfs/upload-lfs-objects.js";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { server } from "../helpers/msw-server.js";
import { TEST_HUB } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";

/** Added by the transport, the same for any client: not what the code under test chose to send. */
const TRANSPORT_HEADERS = new Set(["host", "connection"]);
const LFS_REQUEST = /\.git\/info\/lfs\/objects\/batch$|\/__lfs\//;

interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON bodies as sent (so key order counts too); file bytes by length and sha256. */
  body: string;
}

/**
 * The LFS requests (batch, PUTs, completions) that `run` sends to a fresh emulator holding `stored`
 * already, as they arrive on the wire. The batch answer's random request id, which basic PUTs echo,
 * is replaced by a placeholder.
 */
async function capture(repo: HubRepo, stored: Buffer[], run: () => Promise<void>): Promise<SentRequest[]> {
  const requestIds: string[] = [];
  const hub = new FakeHub({
    multipartChunkSize: 1000,
    postprocess: (request, response) => {
      if (request.url.endsWith("/objects/batch")) {
        requestIds.push(response.headers.get("x-request-id") ?? "");
      }
      return response;
    },
  });
  hub.addRepo({ type: repo.type, id: repo.id });
  for (const bytes of stored) {
    hub.lfs.set(createHash("sha256").update(bytes).digest("hex"), {
      size: bytes.byteLength,
      content: bytes,
      file: undefined,
    });
  }
  const sent: SentRequest[] = [];
  server.use(
    http.all(`${TEST_HUB}/*`, async ({ request }) => {
      if (LFS_REQUEST.test(new URL(request.url).pathname)) {
        const headers: Record<string, string> = {};
        request.headers.forEach((value, name) => {
          if (!TRANSPORT_HEADERS.has(name)) {
            headers[name] = value;
          }
        });
        const bytes = Buffer.from(await request.clone().arrayBuffer());
        const isJson = (headers["content-type"] ?? "").includes("json");
        sent.push({
          method: request.method,
          url: request.url,
          headers,
          body: isJson
            ? bytes.toString()
            : `${bytes.byteLength} bytes, sha256 ${createHash("sha256").update(bytes).digest("hex")}`,
        });
      }
      return hub.handle(request);
    }),
  );
  await run();
  server.resetHandlers();
  for (const request of sent) {
    const id = request.headers["x-request-id"];
    if (id !== undefined && requestIds.includes(id)) {
      request.headers["x-request-id"] = "<the batch answer's request id>";
    }
  }
  return sent.sort((a, b) => `${a.method} ${a.url}`.localeCompare(`${b.method} ${b.url}`));
}

describe("uploadLfsObjects sends what @huggingface/hub's commitIter sends", () => {
  it.each<[string, HubRepo, { isPullRequest?: boolean }]>([
    ["a model, to main", { type: "model", id: "alice/x" }, {}],
    ["a dataset, to main", { type: "dataset", id: "alice/d" }, {}],
    ["a model, as a pull request (no ref)", { type: "model", id: "alice/x" }, { isPullRequest: true }],
  ])("%s: the same batch request, PUTs, part PUTs and completion", async (_name, repo, target) => {
    // .safetensors files are always LFS for the emulator; parts are 1000 bytes.
    const contents: Record<string, Buffer> = {
      "big.safetensors": randomBytes(2500),
      "small.safetensors": randomBytes(700),
      "stored.safetensors": randomBytes(300),
      "nested/also-big.safetensors": randomBytes(1001),
    };
    const stored = [contents["stored.safetensors"] as Buffer];
    const dir = await testdir(contents);
    const blobs = async (): Promise<Array<{ path: string; blob: SourceBlob }>> =>
      Promise.all(
        Object.keys(contents).map(async (name) => ({
          path: name,
          blob: await SourceBlob.forFile(path.join(dir, name)),
        })),
      );
    const fetch = createHubFetch({ hubUrl: TEST_HUB });

    const theirs = await capture(repo, stored, async () => {
      const files = await blobs();
      const iterator = commitIter({
        repo: { type: repo.type, name: repo.id },
        accessToken: DEFAULT_TOKEN,
        hubUrl: TEST_HUB,
        fetch,
        title: "contract",
        useXet: false,
        ...(target.isPullRequest === true ? { isPullRequest: true } : {}),
        operations: files.map(({ path: name, blob }) => ({ operation: "addOrUpdate", path: name, content: blob })),
      });
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
        // Drained for its requests; its events are not what is compared.
      }
    });
    const ours = await capture(repo, stored, async () => {
      const files = await blobs();
      await uploadLfsObjects(
        { hubUrl: TEST_HUB, accessToken: DEFAULT_TOKEN, fetch },
        {
          repo,
          ...(target.isPullRequest === true ? { isPullRequest: true } : {}),
          files: files.map(({ path: name, blob }) => ({
            path: name,
            oid: createHash("sha256")
              .update(contents[name] as Buffer)
              .digest("hex"),
            content: blob,
          })),
        },
      );
    });

    expect(ours).toEqual(theirs);
    // What was compared: one batch, two basic PUTs, 3 + 2 part PUTs, two completions; nothing for the stored file.
    expect(
      theirs.map((request) => `${request.method} ${new URL(request.url).pathname.replace(/[0-9a-f]{64}/, "<oid>")}`),
    ).toEqual(
      expect.arrayContaining([
        `POST /${repo.type === "dataset" ? "datasets/" : ""}${repo.id}.git/info/lfs/objects/batch`,
        "PUT /__lfs/<oid>",
        "PUT /__lfs/<oid>/part/1",
        "PUT /__lfs/<oid>/part/3",
        "POST /__lfs/<oid>/complete",
      ]),
    );
    expect(theirs).toHaveLength(1 + 1 + 3 + 2 + 2);
  });
});
