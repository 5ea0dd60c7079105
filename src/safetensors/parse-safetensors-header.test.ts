import { describe, expect, it } from "vitest";
import { parseSafetensorsHeader, MAX_HEADER_LENGTH } from "./parse-safetensors-header.js";
import { readHeaderLength } from "./read-header-length.js";

function file(
  header: unknown,
  dataBytes: number,
  options: { raw?: string; trailing?: number } = {},
): { header: Uint8Array; size: number } {
  const text = options.raw ?? JSON.stringify(header);
  const bytes = new TextEncoder().encode(text);
  return { header: bytes, size: 8 + bytes.byteLength + dataBytes + (options.trailing ?? 0) };
}

function parse(
  header: unknown,
  dataBytes: number,
  options: { raw?: string; trailing?: number } = {},
): ReturnType<typeof parseSafetensorsHeader> {
  const f = file(header, dataBytes, options);
  return parseSafetensorsHeader(f.header, f.size, "w.safetensors");
}

const f32 = (shape: number[], begin: number, end: number): Record<string, unknown> => ({
  dtype: "F32",
  shape,
  data_offsets: [begin, end],
});

describe("readHeaderLength", () => {
  const prefix = (n: bigint): Uint8Array => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, n, true);
    return bytes;
  };

  it("reads N as little-endian u64", () => {
    expect(readHeaderLength(prefix(42n), 100, "w")).toBe(42);
  });
  it("rejects files under 8 bytes", () => {
    expect(() => readHeaderLength(new Uint8Array(3), 3, "w")).toThrow(/3 bytes, too small/);
  });
  it("rejects N = 0 and N above the cap before allocating anything", () => {
    expect(() => readHeaderLength(prefix(0n), 100, "w")).toThrow(/outside 1\.\.100000000/);
    expect(() => readHeaderLength(prefix(BigInt(MAX_HEADER_LENGTH) + 1n), 2e8, "w")).toThrow(/outside/);
    expect(() => readHeaderLength(prefix(2n ** 63n), 100, "w")).toThrow(/outside/);
  });
  it("rejects a header longer than the file", () => {
    expect(() => readHeaderLength(prefix(100n), 50, "w")).toThrow(/header says 100 bytes but the file has only 42/);
  });
  it("recognises a git-LFS pointer", () => {
    expect(() => readHeaderLength(new TextEncoder().encode("version https://git-lfs"), 130, "w")).toThrow(
      /git-LFS pointer/,
    );
  });
});

describe("parseSafetensorsHeader", () => {
  it("accepts a valid header, tensors sorted by offset, metadata kept", () => {
    const parsed = parse({ __metadata__: { format: "pt" }, b: f32([2], 8, 16), a: f32([2], 0, 8) }, 16);
    expect(parsed.tensors.map((t) => t.name)).toEqual(["a", "b"]);
    expect(parsed.metadata).toEqual({ format: "pt" });
    expect(parsed.dataStart).toBe(8 + parsed.headerLength);
  });
  it("accepts null metadata (mlx), empty and rank-0 tensors, trailing-space padding", () => {
    const header = JSON.stringify({ __metadata__: null, e: f32([0, 4], 0, 0), s: f32([], 0, 4) });
    const parsed = parse(undefined, 4, { raw: header.padEnd(header.length + 5, " ") });
    expect(parsed.metadata).toBeNull();
    expect(parsed.tensors).toHaveLength(2);
  });
  it("handles every dtype size, including sub-byte ones", () => {
    expect(parse({ h: { dtype: "BF16", shape: [3], data_offsets: [0, 6] } }, 6).tensors[0]?.dtype).toBe("BF16");
    expect(parse({ q: { dtype: "F4", shape: [4], data_offsets: [0, 2] } }, 2).tensors).toHaveLength(1);
    expect(() => parse({ q: { dtype: "F4", shape: [3], data_offsets: [0, 2] } }, 2)).toThrow(
      /does not fill whole bytes/,
    );
  });

  it.each([
    ["not JSON", undefined, 0, { raw: "{oops" }, /not valid JSON/],
    ["a JSON array", [], 0, {}, /must be a JSON object/],
    ["non-string metadata", { __metadata__: { n: 1 } }, 0, {}, /__metadata__.n must be a string/],
    ["an unknown dtype", { w: { dtype: "F128", shape: [1], data_offsets: [0, 16] } }, 16, {}, /unknown dtype "F128"/],
    ["a negative dimension", { w: f32([-1], 0, 4) }, 4, {}, /shape must be a list of non-negative integers/],
    ["a fractional dimension", { w: f32([1.5], 0, 4) }, 4, {}, /shape must be/],
    [
      "bad offsets",
      { w: { dtype: "F32", shape: [1], data_offsets: [0] } },
      4,
      {},
      /data_offsets must be \[begin, end\]/,
    ],
    ["reversed offsets", { w: f32([0], 4, 0) }, 4, {}, /end 0 < begin 4/],
    ["a size mismatch", { w: f32([2, 2], 0, 12) }, 12, {}, /needs 16 bytes but data_offsets span 12/],
    ["a hole", { a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12, {}, /starts at 8, leaving a hole after byte 4/],
    ["an overlap", { a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12, {}, /overlapping data that ends at 8/],
    ["data not starting at 0", { a: f32([1], 4, 8) }, 8, {}, /leaving a hole after byte 0/],
    ["trailing bytes", { a: f32([1], 0, 4) }, 4, { trailing: 3 }, /3 unexpected bytes after the last tensor/],
    ["truncation", { a: f32([4], 0, 16) }, 10, {}, /truncated: tensors need/],
  ])("rejects %s", (_label, header, data, options, message) => {
    expect(() => parse(header, data, options)).toThrow(message);
  });

  it("rejects a header that is not UTF-8", () => {
    expect(() => parseSafetensorsHeader(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 12, "w")).toThrow(/not valid UTF-8/);
  });

  it("rejects duplicate tensor names, which JSON.parse would silently merge", () => {
    const raw = `{"w":${JSON.stringify(f32([1], 0, 4))},"w":${JSON.stringify(f32([1], 0, 4))}}`;
    expect(() => parse(undefined, 4, { raw })).toThrow(/tensor "w" appears twice/);
  });
  it("names the file and the tensor in errors", () => {
    expect(() => parse({ "model.layers.0.q.lora_a": f32([2], 0, 4) }, 4)).toThrow(
      /^w\.safetensors: tensor "model\.layers\.0\.q\.lora_a"/,
    );
  });
});
