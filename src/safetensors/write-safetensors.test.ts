import { readFile, readdir } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
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
});
