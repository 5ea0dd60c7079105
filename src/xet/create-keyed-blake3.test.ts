import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createBLAKE3 } from "hash-wasm";
import { describe, expect, it } from "vitest";
import { seededBytes } from "../../tests/helpers/xet-inputs.js";
import { createKeyedBlake3 } from "./create-keyed-blake3.js";

describe("createKeyedBlake3", () => {
  it("gives the official BLAKE3 keyed_hash test vectors (0 B to 100 KiB, across chunk and tree boundaries)", async () => {
    const vectors = JSON.parse(
      await readFile(
        fileURLToPath(new URL("../../tests/fixtures/blake3/keyed-hash-vectors.json", import.meta.url)),
        "utf8",
      ),
    ) as { key: string; keyed_hash: Record<string, string> };
    const key = new TextEncoder().encode(vectors.key);
    const hash = createKeyedBlake3();
    const lengths = Object.keys(vectors.keyed_hash);
    expect(lengths.length).toBeGreaterThan(30);
    for (const length of lengths) {
      const input = Uint8Array.from({ length: Number(length) }, (_, i) => i % 251);
      expect(Buffer.from(hash(key, input)).toString("hex"), `${length} bytes`).toBe(vectors.keyed_hash[length]);
    }
  });

  it("agrees with an independent implementation (hash-wasm) on random keys and lengths, past its first memory size", async () => {
    const hash = createKeyedBlake3();
    const lengths = [1, 64, 1024, 4096, 4097, 13 * 1024 + 5, 65_537, 131_072, 300_001, 1_500_000, 100, 5];
    for (const [i, length] of lengths.entries()) {
      const key = seededBytes(60 + i, 32);
      const data = seededBytes(80 + i, length);
      const reference = await createBLAKE3(256, key);
      reference.update(data);
      expect(Buffer.from(hash(key, data)).toString("hex"), `${length} bytes`).toBe(reference.digest("hex"));
    }
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => createKeyedBlake3()(new Uint8Array(16), new Uint8Array(1))).toThrow(RangeError);
  });
});
