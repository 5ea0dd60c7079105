import { execFileSync } from "node:child_process";
import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import { open, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/helpers/random.js";
import { testdir } from "../../tests/helpers/testdir.js";
import { trackWorkers } from "../../tests/helpers/track-workers.js";
import { gitBlobSha1 } from "../util/git-blob-sha1.js";
import { hashFiles, type HashedFile } from "./hash-files.js";

const MiB = 1024 * 1024;

function randomBytes(length: number, seed: number): Buffer {
  const random = seededRandom(seed);
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    bytes[i] = Math.floor(random() * 256);
  }
  return bytes;
}

async function collect(iterable: AsyncIterable<HashedFile>): Promise<HashedFile[]> {
  const out: HashedFile[] = [];
  for await (const item of iterable) {
    out.push(item);
  }
  return out;
}

describe("hashFiles", () => {
  // 0 B, 1 B, odd sizes, the inline limit and the 4 MiB read size, each exactly and one past.
  const sizes = [0, 1, 3, 4095, MiB, MiB + 1, 4 * MiB, 4 * MiB + 7, 9 * MiB + 3];

  it.each([
    ["small files on the calling thread, large ones on workers", undefined],
    ["every file on a worker", 0],
  ])("gives the same oids as node:crypto (%s)", async (_name, inlineMaxBytes) => {
    const dir = await testdir();
    const workers = trackWorkers();
    const files = await Promise.all(
      sizes.map(async (size, index) => {
        const file = path.join(dir, `f${index}.bin`);
        const bytes = randomBytes(size, index + 1);
        await writeFile(file, bytes);
        return { path: file, size, bytes };
      }),
    );
    const progress = new Map<string, number[]>();
    const results = await collect(
      hashFiles(files, {
        gitBlobLimit: MiB,
        concurrency: 2,
        ...(inlineMaxBytes === undefined ? {} : { inlineMaxBytes }),
        onProgress: ({ path: file, bytes, size }) => {
          expect(bytes).toBeLessThanOrEqual(size);
          progress.set(file, [...(progress.get(file) ?? []), bytes]);
        },
      }),
    );

    expect(results.map((result) => result.path).sort()).toEqual(files.map((file) => file.path).sort());
    for (const file of files) {
      const result = results.find((candidate) => candidate.path === file.path);
      expect(result).toEqual({
        path: file.path,
        size: file.size,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        gitSha1: file.size <= MiB ? gitBlobSha1(file.bytes) : undefined,
      });
      const seen = progress.get(file.path) ?? [];
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1) ?? 0).toBe(file.size);
    }
    expect(workers.started()).toBe(2);
    expect(workers.running()).toBe(0);
  });

  it("yields each file as soon as it is hashed, while another is still being read", async () => {
    const dir = await testdir();
    const ready = path.join(dir, "ready.bin");
    const readyBytes = randomBytes(2 * MiB, 7);
    await writeFile(ready, readyBytes);
    // A named pipe cannot finish before this test writes to it, whatever the machine's speed.
    const pipe = path.join(dir, "pipe.bin");
    execFileSync("mkfifo", [pipe]);
    const pipeBytes = randomBytes(3 * MiB, 8);
    const writer = open(pipe, "w");
    const order: string[] = [];
    try {
      for await (const result of hashFiles(
        [
          { path: pipe, size: pipeBytes.byteLength },
          { path: ready, size: readyBytes.byteLength },
        ],
        { gitBlobLimit: 0, concurrency: 2, inlineMaxBytes: 0 },
      )) {
        order.push(path.basename(result.path));
        if (result.path === ready) {
          const handle = await writer;
          await handle.write(pipeBytes);
          await handle.close();
        } else {
          expect(result.sha256).toBe(createHash("sha256").update(pipeBytes).digest("hex"));
        }
      }
    } finally {
      await (await writer).close().catch(() => undefined);
    }
    expect(order).toEqual(["ready.bin", "pipe.bin"]);
  });

  it("stops every worker at once when aborted, and the iteration throws the reason", async () => {
    const dir = await testdir();
    const workers = trackWorkers();
    const files = await Promise.all(
      [0, 1, 2].map(async (index) => {
        const file = path.join(dir, `big${index}.bin`);
        await writeFile(file, cryptoRandomBytes(24 * MiB));
        return { path: file, size: 24 * MiB };
      }),
    );
    const controller = new AbortController();
    const seen: HashedFile[] = [];
    const run = (async () => {
      for await (const result of hashFiles(files, {
        gitBlobLimit: 0,
        concurrency: 2,
        signal: controller.signal,
        onProgress: () => controller.abort(new Error("stop now")),
      })) {
        seen.push(result);
      }
    })();
    await expect(run).rejects.toThrow("stop now");
    expect(seen).toEqual([]);
    expect(workers.started()).toBe(2);
    expect(workers.running()).toBe(0);
  });

  it("refuses to start when already aborted", async () => {
    const workers = trackWorkers();
    const iteration = hashFiles([{ path: "/nonexistent", size: 5 * MiB }], {
      gitBlobLimit: 0,
      signal: AbortSignal.abort(new Error("too late")),
    });
    await expect(iteration.next()).rejects.toThrow("too late");
    expect(workers.started()).toBe(0);
  });

  it("ends every worker when the caller stops early", async () => {
    const dir = await testdir();
    const workers = trackWorkers();
    const files = await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        const file = path.join(dir, `f${index}.bin`);
        await writeFile(file, randomBytes(2 * MiB, index));
        return { path: file, size: 2 * MiB };
      }),
    );
    let count = 0;
    for await (const result of hashFiles(files, { gitBlobLimit: 0, concurrency: 2 })) {
      expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
      count++;
      break;
    }
    expect(count).toBe(1);
    expect(workers.running()).toBe(0);
  });

  it("fails with the file's error code when a file cannot be read, leaving no worker", async () => {
    const dir = await testdir();
    const workers = trackWorkers();
    const missing = path.join(dir, "missing.bin");
    const iteration = collect(hashFiles([{ path: missing, size: 2 * MiB }], { gitBlobLimit: 0 }));
    await expect(iteration).rejects.toMatchObject({ code: "ENOENT" });
    expect(workers.running()).toBe(0);
  });
});
