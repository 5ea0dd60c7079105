import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { seededBytes, xetGoldenInputs } from "../../../tests/helpers/xet-inputs.js";
import { XetFormatError } from "../xet-format-error.js";
import { decodeLz4Frame } from "./decode-lz4-frame.js";
import { encodeLz4Frame } from "./encode-lz4-frame.js";
import { xxh32 } from "./xxh32.js";

const words = xetGoldenInputs().find(({ name }) => name === "words.txt")?.bytes ?? new Uint8Array(0);
const fixture = (name: string): Promise<Buffer> =>
  readFile(fileURLToPath(new URL(`../../../tests/fixtures/lz4/${name}`, import.meta.url)));

describe("xxh32", () => {
  it.each([
    ["", 0x02cc5d05],
    ["a", 0x550d7456],
    ["abc", 0x32d153ff],
    ["Nobody inspects the spammish repetition", 0xe2293b2f],
  ])("gives xxHash32's published value for %j", (text, expected) => {
    expect(xxh32(new TextEncoder().encode(text))).toBe(expected);
  });
});

describe("encodeLz4Frame / decodeLz4Frame", () => {
  it.each([
    ["random bytes", seededBytes(21, 131072)],
    ["zeros", new Uint8Array(131072)],
    ["text", words.subarray(0, 100_000)],
    ["a short run", new TextEncoder().encode("abcabcabcabcabcabcabc")],
    ["one byte", new Uint8Array([7])],
    ["nothing", new Uint8Array(0)],
  ])("round-trips %s", (_, data) => {
    const frame = encodeLz4Frame(data);
    expect(Buffer.from(decodeLz4Frame(frame, data.length)).equals(Buffer.from(data))).toBe(true);
  });

  it("round-trips every length up to 300 bytes and runs that end on every offset (the kernel's edge cases)", () => {
    for (let length = 0; length <= 300; length++) {
      // A repeating pattern with a break: matches end at the last literals, and near every bound.
      const data = Uint8Array.from({ length }, (_, i) => (i % 7 === 3 ? i & 0xff : (i % 5) * 31));
      const frame = encodeLz4Frame(data);
      expect(Buffer.from(decodeLz4Frame(frame, length)).equals(Buffer.from(data)), `length ${length}`).toBe(true);
    }
    for (const period of [1, 3, 4, 8, 9, 4000]) {
      const data = Uint8Array.from({ length: 131072 }, (_, i) => (i % period) * 13 + (i % 65000 === 0 ? 1 : 0));
      expect(Buffer.from(decodeLz4Frame(encodeLz4Frame(data), data.length)).equals(Buffer.from(data))).toBe(true);
    }
  });

  it("compresses what repeats and stores what does not, in one block under lz4_flex's header", () => {
    const text = encodeLz4Frame(words.subarray(0, 100_000));
    expect(text.length).toBeLessThan(50_000);
    expect([...text.subarray(0, 7)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x50, 0xfb]);
    const random = seededBytes(22, 65536);
    const stored = encodeLz4Frame(random);
    expect(stored.length).toBe(65536 + 7 + 4 + 4);
    expect(new DataView(stored.buffer, stored.byteOffset).getUint32(7, true)).toBe((0x80000000 | 65536) >>> 0);
  });

  const lz4Tool = spawnSync("lz4", ["--version"], { stdio: "ignore" }).status === 0;
  it.skipIf(!lz4Tool)("writes frames the reference lz4 tool decodes (when it is installed)", () => {
    for (const data of [words.subarray(0, 131072), seededBytes(23, 100_000), new Uint8Array(131072)]) {
      const run = spawnSync("lz4", ["-d", "-c"], { input: encodeLz4Frame(data), maxBuffer: 1 << 20 });
      expect(run.status).toBe(0);
      expect(run.stdout.equals(Buffer.from(data))).toBe(true);
    }
  });

  it.each([
    ["content-checksum.lz4", 40_000],
    ["linked-64k-blocks.lz4", 100_000],
    ["block-checksums-content-size.lz4", 40_000],
    ["independent-64k-blocks.lz4", 100_000],
  ])("decodes the reference lz4 tool's %s", async (name, length) => {
    const decoded = decodeLz4Frame(new Uint8Array(await fixture(name)), length);
    expect(Buffer.from(decoded).equals(Buffer.from(words.subarray(0, length)))).toBe(true);
  });

  describe("refuses a broken frame with XetFormatError", () => {
    const good = encodeLz4Frame(words.subarray(0, 20_000));
    const edit = (change: (frame: Uint8Array) => void, from: Uint8Array = good): Uint8Array => {
      const copy = from.slice();
      change(copy);
      return copy;
    };
    it.each([
      ["no magic", edit((f) => (f[0] = 0))],
      ["a wrong header checksum", edit((f) => (f[6] = (f[6] ?? 0) ^ 1))],
      ["a version other than 01", edit((f) => (f[4] = 0xa0))],
      ["a dictionary", edit((f) => (f[4] = 0x61))],
      ["a block size over the maximum", edit((f) => new DataView(f.buffer).setUint32(7, 0x40001, true))],
      ["cut off before the end mark", good.subarray(0, good.length - 4)],
      ["cut off inside a block", good.subarray(0, 40)],
      ["bytes after the end mark", new Uint8Array([...good, 0])],
      ["a match offset before the start", edit((f) => (f[12] = 0xff), encodeLz4Frame(new Uint8Array(64)))],
    ])("%s", (_, frame) => {
      expect(() => decodeLz4Frame(frame, 20_000)).toThrow(XetFormatError);
    });

    it("that decodes to another size than the chunk header says", () => {
      expect(() => decodeLz4Frame(good, 19_999)).toThrow(/bad-compression|expected size|says/);
      expect(() => decodeLz4Frame(good, 20_001)).toThrow(XetFormatError);
    });

    it("whose checksums do not match its content", async () => {
      const withContentSum = new Uint8Array(await fixture("content-checksum.lz4"));
      const flipped = withContentSum.slice();
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
      expect(() => decodeLz4Frame(flipped, 40_000)).toThrow(/content checksum/);
      const withBlockSums = new Uint8Array(await fixture("block-checksums-content-size.lz4"));
      const wrongSize = () => decodeLz4Frame(withBlockSums, 39_999);
      expect(wrongSize).toThrow(/content size/);
    });
  });
});
