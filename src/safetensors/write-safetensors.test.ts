import { readFile, readdir } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/helpers/random.js";
import { testdir } from "../../tests/helpers/testdir.js";
import { trackWorkers } from "../../tests/helpers/track-workers.js";
import { readSafetensorsHeader } from "./read-safetensors-header.js";
import { writeSafetensors } from "./write-safetensors.js";

describe("writeSafetensors", () => {
  it("writes a padded, contiguous file that the reader accepts, and reports its sha256", async () => {
    const dir = await testdir();
    const file = path.join(dir, "out.safetensors");
    const tensors = [
      { name: "a", dtype: "F32", shape: [2, 3] },
      { name: "b", dtype: "BF16", shape: [5] },
      { name: "c", dtype: "F16", shape: [0] },
    ];
    const data = [new Uint8Array(24).fill(1), new Uint8Array(10).fill(2), new Uint8Array(0)];
    const result = await writeSafetensors(file, tensors, { format: "pt" }, (index) =>
      Promise.resolve(data[index] ?? new Uint8Array()),
    );

    const bytes = await readFile(file);
    expect(result).toEqual({ size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") });
    expect((8 + Number(bytes.readBigUInt64LE(0))) % 8).toBe(0);
    const header = await readSafetensorsHeader(file, "out.safetensors");
    expect(header.metadata).toEqual({ format: "pt" });
    expect(header.tensors.map((t) => [t.name, t.begin, t.end])).toEqual([
      ["a", 0, 24],
      ["b", 24, 34],
      ["c", 34, 34],
    ]);
    expect(await readdir(dir)).toEqual(["out.safetensors"]);
  });

  it("leaves nothing behind when a tensor cannot be produced", async () => {
    const dir = await testdir();
    const file = path.join(dir, "out.safetensors");
    const failing = writeSafetensors(file, [{ name: "a", dtype: "F32", shape: [2] }], null, () =>
      Promise.reject(new Error("disk gone")),
    );
    await expect(failing).rejects.toThrow("disk gone");
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses data of the wrong size", async () => {
    const dir = await testdir();
    const write = writeSafetensors(
      path.join(dir, "x.safetensors"),
      [{ name: "a", dtype: "F32", shape: [2] }],
      null,
      () => Promise.resolve(new Uint8Array(7)),
    );
    await expect(write).rejects.toThrow(/has 7 bytes, expected 8/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("hashes a large file on a worker thread, tensors returned whole or pushed block by block", async () => {
    const dir = await testdir();
    const file = path.join(dir, "big.safetensors");
    const random = seededRandom(3);
    const big = Uint8Array.from({ length: 9 * 1024 * 1024 + 12 }, () => Math.floor(random() * 256));
    const tensors = [
      { name: "returned", dtype: "U8", shape: [big.byteLength] },
      { name: "pushed", dtype: "U8", shape: [big.byteLength] },
    ];
    const result = await writeSafetensors(file, tensors, null, async (index, sink) => {
      if (index === 0) {
        return big;
      }
      // Uneven pieces, reversed bytes: what is pushed is what lands, in push order.
      for (let offset = 0; offset < big.byteLength; offset += 1_000_003) {
        const piece = big.subarray(offset, Math.min(big.byteLength, offset + 1_000_003));
        const block = await sink.block();
        block.bytes.set(piece.toReversed());
        sink.push(block, piece.byteLength);
      }
      return undefined;
    });

    const bytes = await readFile(file);
    expect(result).toEqual({ size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") });
    const header = await readSafetensorsHeader(file, "big.safetensors");
    const start = header.dataStart;
    expect(Buffer.compare(bytes.subarray(start, start + big.byteLength), big)).toBe(0);
    const second = bytes.subarray(start + big.byteLength);
    expect(Buffer.compare(second.subarray(0, 1_000_003), big.subarray(0, 1_000_003).toReversed())).toBe(0);
  });

  it("stops the hashing thread and leaves nothing behind when a large write fails midway", async () => {
    const dir = await testdir();
    const workers = trackWorkers();
    const file = path.join(dir, "big.safetensors");
    const size = 32 * 1024 * 1024;
    const write = writeSafetensors(file, [{ name: "a", dtype: "U8", shape: [size] }], null, async (_index, sink) => {
      for (let offset = 0; offset < size / 2; offset += sink.blockBytes) {
        const block = await sink.block();
        sink.push(block, sink.blockBytes);
      }
      throw new Error("source vanished");
    });
    await expect(write).rejects.toThrow("source vanished");
    expect(await readdir(dir)).toEqual([]);
    expect(workers.started()).toBe(1);
    expect(workers.running()).toBe(0);
  });

  it("refuses pushed data of the wrong size", async () => {
    const dir = await testdir();
    const write = writeSafetensors(
      path.join(dir, "x.safetensors"),
      [{ name: "a", dtype: "F32", shape: [4] }],
      null,
      async (_index, sink) => {
        sink.push(await sink.block(), 12);
        return undefined;
      },
    );
    await expect(write).rejects.toThrow(/has 12 bytes, expected 16/);
    expect(await readdir(dir)).toEqual([]);
  });
});
