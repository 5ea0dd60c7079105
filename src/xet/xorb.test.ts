import { beforeAll, describe, expect, it } from "vitest";
import { seededBytes, xetGoldenInputs } from "../../tests/helpers/xet-inputs.js";
import { buildXorb } from "./build-xorb.js";
import { createXorbWriter } from "./create-xorb-writer.js";
import { createXetChunker } from "./create-xet-chunker.js";
import { fitsInXorb } from "./fits-in-xorb.js";
import { hashToHex } from "./hash-to-hex.js";
import { createXetHasher, type XetHasher } from "./create-xet-hasher.js";
import { parseXorb } from "./parse-xorb.js";
import { XetFormatError } from "./xet-format-error.js";
import { XORB_COMPRESSION } from "./xorb-compression.js";
import { xorbHash } from "./xorb-hash.js";

let hasher: XetHasher;
beforeAll(() => {
  hasher = createXetHasher();
});

function chunksOf(...files: Uint8Array[]): { data: Uint8Array }[] {
  return files.flatMap((file) => {
    const chunker = createXetChunker();
    return [...chunker.push(file), ...chunker.finish()].map((data) => ({ data }));
  });
}

const input = (name: string): Uint8Array =>
  xetGoldenInputs().find((file) => file.name === name)?.bytes ?? new Uint8Array(0);
const files = [input("words.txt"), input("floats.f32"), seededBytes(41, 100_000), input("zeros.bin")];
const mixed = chunksOf(...files);
/** Where each file's chunks start: hf_xet chooses a scheme afresh there. */
const fileStarts = files.map((_, i) => chunksOf(...files.slice(0, i)).length);

describe("buildXorb / parseXorb", () => {
  it("round-trips chunks of every kind, choosing a scheme per chunk and falling back to None", () => {
    const built = buildXorb(hasher, mixed, { fileStarts });
    const parsed = parseXorb(hasher, built.bytes, { expectedHash: built.hash, keepData: true });
    expect(hashToHex(parsed.hash)).toBe(hashToHex(built.hash));
    expect(parsed.chunks.map((chunk) => chunk.compression)).toEqual(built.chunks.map((chunk) => chunk.compression));
    expect(new Set(built.chunks.map((chunk) => chunk.compression))).toEqual(
      new Set([XORB_COMPRESSION.none, XORB_COMPRESSION.lz4, XORB_COMPRESSION.bg4Lz4]),
    );
    parsed.chunks.forEach((chunk, i) => {
      expect(Buffer.from(chunk.data ?? []).equals(Buffer.from(mixed[i]?.data ?? []))).toBe(true);
    });
    expect(built.bytes.length).toBeLessThan(built.unpackedBytes);
    expect(parsed.unpackedBytes).toBe(built.unpackedBytes);
    expect(parsed.hasFooter).toBe(false);
  });

  it("hashes the xorb as the merkle root of its chunks, whatever the compression", () => {
    const expected = xorbHash(
      hasher,
      mixed.map(({ data }) => ({ hash: hasher.chunkHash(data), size: data.length })),
    );
    for (const compression of ["auto", 0, 1, 2] as const) {
      expect(hashToHex(buildXorb(hasher, mixed, { compression }).hash)).toBe(hashToHex(expected));
    }
  });

  it("lays out each chunk as version 0, compressed size, scheme, size, then the stored bytes", () => {
    const built = buildXorb(hasher, [{ data: new TextEncoder().encode("hello") }]);
    expect([...built.bytes]).toEqual([0, 5, 0, 0, 0, 5, 0, 0, ...new TextEncoder().encode("hello")]);
    expect(built.chunks[0]).toMatchObject({ size: 5, unpackedStart: 0, offset: 0, serializedLength: 13 });
  });

  it("writes and checks xet-core's footer when asked", () => {
    const built = buildXorb(hasher, mixed, { footer: true });
    const parsed = parseXorb(hasher, built.bytes, { expectedHash: built.hash });
    expect(parsed.hasFooter).toBe(true);
    expect(parsed.chunksEnd).toBe(buildXorb(hasher, mixed).bytes.length);
    const lying = built.bytes.slice();
    lying[parsed.chunksEnd + 8] = (lying[parsed.chunksEnd + 8] ?? 0) ^ 1; // the footer's xorb hash
    expect(() => parseXorb(hasher, lying)).toThrow(/footer does not describe/);
  });

  it("writes chunk by chunk into a buffer of sizes + 8 bytes each what buildXorb writes at once", () => {
    const buffer = new Uint8Array(mixed.reduce((sum, { data }) => sum + data.length + 8, 0));
    const writer = createXorbWriter(buffer);
    const starts = new Set(fileStarts);
    mixed.forEach(({ data }, i) => writer.add(data, hasher.chunkHash(data), starts.has(i)));
    const built = buildXorb(hasher, mixed, { fileStarts });
    expect(Buffer.from(writer.bytes()).equals(Buffer.from(built.bytes))).toBe(true);
    expect(writer.chunks).toEqual(built.chunks);
    expect(writer.unpackedBytes).toBe(built.unpackedBytes);
    expect(writer.bytes().buffer).toBe(buffer.buffer);
    const full = createXorbWriter(new Uint8Array(12));
    expect(() => full.add(new Uint8Array(5), new Uint8Array(32))).toThrow(/buffer of 12 bytes is full/);
  });

  it("refuses to build what the CAS would refuse", () => {
    expect(() => buildXorb(hasher, [])).toThrow(RangeError);
    expect(() => buildXorb(hasher, [{ data: new Uint8Array(131073) }])).toThrow(RangeError);
    expect(() => buildXorb(hasher, [{ data: new Uint8Array(0) }])).toThrow(RangeError);
    const tiny = Array.from({ length: 8193 }, () => ({ data: new Uint8Array(1) }));
    expect(() => buildXorb(hasher, tiny)).toThrow(RangeError);
  });

  it("cuts xorbs as hf_xet does: at 64 MiB of data or 8192 chunks", () => {
    expect(fitsInXorb(0, 0, 131072)).toBe(true);
    expect(fitsInXorb(511, 64 * 1024 * 1024 - 131072, 131072)).toBe(true);
    expect(fitsInXorb(511, 64 * 1024 * 1024 - 131071, 131072)).toBe(false);
    expect(fitsInXorb(8191, 100, 1)).toBe(true);
    expect(fitsInXorb(8192, 100, 1)).toBe(false);
  });
});

describe("parseXorb refuses a bad xorb with a typed error", () => {
  const good = (): Uint8Array => buildXorb(hasher, mixed.slice(0, 4)).bytes.slice();
  const reason = (bytes: Uint8Array, expectedHash?: Uint8Array): string => {
    try {
      parseXorb(hasher, bytes, expectedHash === undefined ? {} : { expectedHash });
    } catch (error) {
      if (error instanceof XetFormatError) {
        return error.reason;
      }
      throw error;
    }
    return "accepted";
  };

  it.each([
    ["no chunks", () => new Uint8Array(0), "truncated"],
    ["a cut-off header", () => good().subarray(0, 5), "truncated"],
    ["cut-off data", () => good().subarray(0, 100), "truncated"],
    ["header version 1", () => good().fill(1, 0, 1), "bad-chunk-header"],
    ["an unknown scheme", () => good().fill(9, 4, 5), "bad-chunk-header"],
    ["a chunk over 128 KiB", () => good().fill(0x03, 7, 8), "chunk-too-large"],
    ["an empty chunk", () => good().fill(0, 5, 8), "chunk-too-large"],
    ["a stored size that does not decode to the chunk", () => good().fill(0x10, 1, 2), "bad-compression"],
    ["trailing garbage", () => new Uint8Array([...good(), 0, 1, 2]), "truncated"],
  ])("%s", (_, bytes, expected) => {
    expect(reason(bytes())).toBe(expected);
  });

  it("a flipped byte of chunk data: another hash than the one it was uploaded under", () => {
    const built = buildXorb(hasher, [{ data: seededBytes(42, 20_000) }], { compression: XORB_COMPRESSION.none });
    const flipped = built.bytes.slice();
    flipped[500] = (flipped[500] ?? 0) ^ 1;
    expect(reason(built.bytes, built.hash)).toBe("accepted");
    expect(reason(flipped, built.hash)).toBe("hash-mismatch");
  });

  it("corrupt LZ4 data, naming the chunk", () => {
    const built = buildXorb(hasher, chunksOf(input("words.txt")).slice(0, 2), { compression: XORB_COMPRESSION.lz4 });
    const second = built.chunks[1]?.offset ?? 0;
    const broken = built.bytes.slice();
    broken.fill(0xff, second + 20, second + 40);
    expect(() => parseXorb(hasher, broken)).toThrow(/chunk 1 at byte/);
  });

  it("more than 8192 chunks", () => {
    const header = new Uint8Array([0, 1, 0, 0, 0, 1, 0, 0, 7]);
    const many = new Uint8Array(header.length * 8193);
    for (let i = 0; i < 8193; i++) {
      many.set(header, i * header.length);
    }
    expect(reason(many)).toBe("too-many-chunks");
  });
});
