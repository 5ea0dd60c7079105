import { commitIter } from "@huggingface/hub";
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SourceBlob } from "../../src/hub/source-blob.js";
import { testdir } from "../helpers/testdir.js";

/**
 * What this project relies on inside @huggingface/hub (pinned ~2.17). If an upgrade changes any of
 * it, these fail instead of the tool silently buffering whole files in memory again.
 */
describe("the @huggingface/hub internals we rely on", () => {
  interface Seen {
    url: string;
    method: string;
    body: unknown;
    init: RequestInit & { progressHint?: { progressCallback?: unknown; part?: number } };
  }

  /** Counts how the library reads the whole blob (its slices are plain SourceBlobs). */
  class CountingBlob extends SourceBlob {
    streams = 0;
    arrayBuffers = 0;
    readonly chunkBuffers = new Set<ArrayBufferLike>();

    override stream(): ReturnType<Blob["stream"]> {
      this.streams++;
      const chunkBuffers = this.chunkBuffers;
      return super.stream().pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            chunkBuffers.add(chunk.buffer);
            controller.enqueue(chunk);
          },
        }),
      ) as ReturnType<Blob["stream"]>;
    }

    override arrayBuffer(): Promise<ArrayBuffer> {
      this.arrayBuffers++;
      return super.arrayBuffer();
    }
  }

  async function upload(
    options: { multipartChunk?: number; bytes?: Buffer; acknowledge?: boolean } = {},
  ): Promise<{ seen: Seen[]; blob: CountingBlob }> {
    const dir = await testdir();
    const big = path.join(dir, "weights.safetensors");
    await writeFile(big, options.bytes ?? Buffer.alloc(3000, 7));
    const { identity } = await SourceBlob.forFile(big);
    const blob = new CountingBlob(big, 0, identity.size, { identity });
    const seen: Seen[] = [];
    const fakeFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      return Promise.resolve(answer(input, init));
    };
    const answer = (input: string | URL | Request, init?: RequestInit): Response => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      seen.push({ url, method: init?.method ?? "GET", body: init?.body, init: init ?? {} });
      const json = (value: unknown): Response =>
        new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });
      if (url.includes("/preupload/")) {
        return json({
          files: [
            { path: "weights.safetensors", uploadMode: "lfs" },
            { path: "README.md", uploadMode: "regular" },
          ],
        });
      }
      if (url.endsWith("/info/lfs/objects/batch")) {
        const { objects } = JSON.parse(init?.body as string) as { objects: Array<{ oid: string; size: number }> };
        const chunk = options.multipartChunk;
        return json({
          transfer: "basic",
          objects: objects.map((object) => ({
            ...object,
            actions: {
              upload:
                chunk === undefined
                  ? { href: "https://storage.test/put" }
                  : {
                      href: "https://storage.test/complete",
                      header: {
                        chunk_size: String(chunk),
                        "00001": "https://storage.test/part/1",
                        "00002": "https://storage.test/part/2",
                      },
                    },
            },
          })),
        });
      }
      if (init?.method === "PUT") {
        return new Response(null, { status: 200, headers: { etag: '"e"' } });
      }
      if (url.endsWith("/complete")) {
        return json({ success: true });
      }
      if (url.includes("/commit/")) {
        return json({ success: true, commitOid: "a".repeat(40), commitUrl: "https://hub.test/x/commit/a" });
      }
      throw new Error(`unexpected request ${url}`);
    };
    const iterator = commitIter({
      repo: { type: "model", name: "alice/x" },
      accessToken: "hf_contractTestTokenNotReal0000",
      hubUrl: "https://hub.test",
      fetch: fakeFetch,
      title: "t",
      description: "d",
      useXet: false,
      parentCommit: "b".repeat(40),
      operations: [
        { operation: "addOrUpdate", path: "weights.safetensors", content: blob },
        { operation: "addOrUpdate", path: "README.md", content: new Blob(["# card\n"]) },
      ],
    });
    let step = await iterator.next();
    while (!step.done) {
      if (options.acknowledge && step.value.event === "fileProgress" && step.value.state === "hashing") {
        blob.acknowledge(step.value.progress);
      }
      step = await iterator.next();
    }
    expect(step.value?.commit.oid).toBe("a".repeat(40));
    return { seen, blob };
  }

  it("hands our blob itself to fetch as the PUT body, with a progress hint", async () => {
    const { seen, blob } = await upload();
    const puts = seen.filter((request) => request.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]?.body).toBe(blob);
    expect(typeof puts[0]?.init.progressHint?.progressCallback).toBe("function");
  });

  it("slices our blob for multipart parts, so each part is still streamed from disk", async () => {
    const { seen } = await upload({ multipartChunk: 2000 });
    const parts = seen.filter((request) => request.method === "PUT");
    expect(parts.map((part) => part.body instanceof SourceBlob)).toEqual([true, true]);
    expect(parts.map((part) => (part.body as SourceBlob).size).sort()).toEqual([1000, 2000]);
  });

  it("hashes a file of 10 MB or more by reading our blob's stream() once, never its whole arrayBuffer()", async () => {
    const bytes = Buffer.alloc(10_000_000 + 1, 3);
    const { seen, blob } = await upload({ bytes });
    const batch = seen.find((request) => request.url.endsWith("/info/lfs/objects/batch"));
    const { objects } = JSON.parse(String(batch?.body)) as { objects: Array<{ oid: string; size: number }> };
    expect(objects).toEqual([{ oid: createHash("sha256").update(bytes).digest("hex"), size: bytes.length }]);
    expect(blob.streams).toBe(1);
    expect(blob.arrayBuffers).toBe(0);
  });

  it("reports hashing progress only for bytes it has hashed, so buffers acknowledged by it can be read into again", async () => {
    const bytes = Buffer.from(Array.from({ length: 12_000_000 }, (_, i) => (i * 29 + (i >> 16)) & 0xff));
    const { seen, blob } = await upload({ bytes, acknowledge: true });
    const batch = seen.find((request) => request.url.endsWith("/info/lfs/objects/batch"));
    const { objects } = JSON.parse(String(batch?.body)) as { objects: Array<{ oid: string; size: number }> };
    expect(objects).toEqual([{ oid: createHash("sha256").update(bytes).digest("hex"), size: bytes.length }]);
    // 12 chunks of at most 1 MiB, read into far fewer buffers.
    expect(blob.chunkBuffers.size).toBeLessThan(6);
  });

  it("sends the commit as NDJSON: a header with our parent, lfsFile ops with sha256 oids, small files inline", async () => {
    const { seen } = await upload();
    const commit = seen.find((request) => request.url.includes("/commit/"));
    expect(typeof commit?.body).toBe("string");
    const lines = String(commit?.body)
      .split("\n")
      .map((line) => JSON.parse(line) as { key: string; value: Record<string, unknown> });
    expect(lines[0]).toEqual({
      key: "header",
      value: { summary: "t", description: "d", parentCommit: "b".repeat(40) },
    });
    expect(lines).toContainEqual({
      key: "lfsFile",
      value: {
        path: "weights.safetensors",
        algo: "sha256",
        size: 3000,
        oid: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      },
    });
    expect(lines).toContainEqual({
      key: "file",
      value: { path: "README.md", content: Buffer.from("# card\n").toString("base64"), encoding: "base64" },
    });
  });
});
