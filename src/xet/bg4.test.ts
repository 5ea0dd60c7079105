import { describe, expect, it } from "vitest";
import { seededBytes, xetGoldenInputs } from "../../tests/helpers/xet-inputs.js";
import { bg4Regroup } from "./bg4-regroup.js";
import { bg4Split } from "./bg4-split.js";
import { chooseChunkCompression } from "./choose-chunk-compression.js";
import { XORB_COMPRESSION } from "./xorb-compression.js";

describe("bg4Split / bg4Regroup", () => {
  it("groups the bytes by position modulo 4, as the spec's example shows", () => {
    // A1 A2 A3 A4 B1 B2 B3 B4 C1 C2 C3 C4 → A1 B1 C1 A2 B2 C2 A3 B3 C3 A4 B4 C4
    const data = new Uint8Array([0xa1, 0xa2, 0xa3, 0xa4, 0xb1, 0xb2, 0xb3, 0xb4, 0xc1, 0xc2, 0xc3, 0xc4]);
    expect([...bg4Split(data)]).toEqual([0xa1, 0xb1, 0xc1, 0xa2, 0xb2, 0xc2, 0xa3, 0xb3, 0xc3, 0xa4, 0xb4, 0xc4]);
  });

  it("gives the first length % 4 groups the extra bytes", () => {
    expect([...bg4Split(new Uint8Array([1, 2, 3, 4, 5, 6, 7]))]).toEqual([1, 5, 2, 6, 3, 7, 4]);
  });

  it.each([0, 1, 2, 3, 4, 5, 1023, 131072])("round-trips %i bytes", (length) => {
    const data = seededBytes(31, length);
    expect([...bg4Regroup(bg4Split(data))]).toEqual([...data]);
  });
});

describe("chooseChunkCompression", () => {
  const input = (name: string): Uint8Array =>
    xetGoldenInputs().find((file) => file.name === name)?.bytes ?? new Uint8Array(0);

  it("picks byte grouping for 32-bit floats, as hf_xet did for the same chunk", () => {
    expect(chooseChunkCompression(input("floats.f32"))).toBe(XORB_COMPRESSION.bg4Lz4);
  });

  it("picks plain LZ4 for text, random bytes and zeros", () => {
    expect(chooseChunkCompression(input("words.txt").subarray(0, 65536))).toBe(XORB_COMPRESSION.lz4);
    expect(chooseChunkCompression(seededBytes(32, 65536))).toBe(XORB_COMPRESSION.lz4);
    expect(chooseChunkCompression(new Uint8Array(65536))).toBe(XORB_COMPRESSION.lz4);
  });

  it("ignores a byte position with an empty popcount bin, as xet-core's NaN does", () => {
    // Position 0 holds 0x00/0x01 (popcounts 0-1), the others 0xFE/0xFF (7-8): wildly different
    // positions, but each has empty bins, so each is skipped and plain LZ4 is chosen, as hf_xet does.
    const data = seededBytes(33, 65536).map((byte, i) => (i % 4 === 0 ? byte & 1 : 0xfe | (byte & 1)));
    expect(chooseChunkCompression(data)).toBe(XORB_COMPRESSION.lz4);
    // Let every popcount occur once at each position and the difference counts: byte grouping.
    for (let bits = 0; bits <= 8; bits++) {
      data.fill((1 << bits) - 1, bits * 4, bits * 4 + 4);
    }
    expect(chooseChunkCompression(data)).toBe(XORB_COMPRESSION.bg4Lz4);
  });
});
