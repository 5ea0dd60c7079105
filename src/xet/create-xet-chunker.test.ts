import { describe, expect, it } from "vitest";
import { seededBytes } from "../../tests/helpers/xet-inputs.js";
import { createXetChunker } from "./create-xet-chunker.js";
import { GEAR_TABLE } from "./gear-table.js";

function chunkLengths(data: Uint8Array, pieces: number[] = [data.length]): number[] {
  const chunker = createXetChunker();
  const lengths: number[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = pieces[i % pieces.length] ?? data.length;
    lengths.push(...chunker.push(data.subarray(at, at + size)).map((chunk) => chunk.length));
    at += size;
  }
  lengths.push(...chunker.finish().map((chunk) => chunk.length));
  return lengths;
}

/** The spec's pseudocode, byte by byte with a BigInt hash and no skip-ahead: slow, plainly right. */
function specChunkLengths(data: Uint8Array): number[] {
  const mask = 0xffff000000000000n;
  const lengths: number[] = [];
  let h = 0n;
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    h = ((h << 1n) + (GEAR_TABLE[data[i] as number] as bigint)) & 0xffffffffffffffffn;
    const size = i + 1 - start;
    if (size >= 8192 && (size >= 131072 || (h & mask) === 0n)) {
      lengths.push(size);
      start = i + 1;
      h = 0n;
    }
  }
  if (start < data.length) {
    lengths.push(data.length - start);
  }
  return lengths;
}

describe("createXetChunker", () => {
  const random = seededBytes(11, 600_000);

  it("cuts where the spec's byte-by-byte algorithm cuts: the skip-ahead changes nothing", () => {
    expect(chunkLengths(random)).toEqual(specChunkLengths(random));
  });

  it("keeps chunks between 8 KiB and 128 KiB, only the last one shorter", () => {
    const lengths = chunkLengths(random);
    expect(lengths.length).toBeGreaterThan(4);
    expect(lengths.slice(0, -1).every((length) => length >= 8192 && length <= 131072)).toBe(true);
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(random.length);
  });

  it("forces a cut at 128 KiB where the content gives none (zeros)", () => {
    expect(chunkLengths(new Uint8Array(300_000))).toEqual([131072, 131072, 37856]);
  });

  it.each([[[1]], [[7, 4096, 65537]], [[8127, 1, 64]], [[131072]], [[200_000, 3]]])(
    "finds the same boundaries however the stream is split (%j)",
    (pieces) => {
      const data = random.subarray(0, pieces.length === 1 && pieces[0] === 1 ? 150_000 : random.length);
      expect(chunkLengths(data, pieces)).toEqual(chunkLengths(data));
    },
  );

  it("gives one chunk for a stream under 8 KiB and none for an empty one", () => {
    expect(chunkLengths(random.subarray(0, 8191))).toEqual([8191]);
    expect(chunkLengths(new Uint8Array(0))).toEqual([]);
  });

  it("hands back the stream's bytes in order and starts over after finish", () => {
    const chunker = createXetChunker();
    const data = random.subarray(0, 300_000);
    const first = [
      ...chunker.push(data.subarray(0, 100_001)),
      ...chunker.push(data.subarray(100_001)),
      ...chunker.finish(),
    ];
    expect(Buffer.concat(first).equals(Buffer.from(data))).toBe(true);
    const second = [...chunker.push(data), ...chunker.finish()];
    expect(second.map((chunk) => chunk.length)).toEqual(first.map((chunk) => chunk.length));
  });
});
