import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/helpers/random.js";
import { scanValues } from "./scan-values.js";
import { transpose2d } from "./transpose-2d.js";

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

describe("transpose2d", () => {
  it.each([1, 2, 4, 8] as const)(
    "moves %i-byte elements exactly: out[c][r] = in[r][c], and twice is identity",
    (size) => {
      const rows = 5;
      const cols = 7;
      const source = randomBytes(rows * cols * size, size);
      const out = transpose2d(source, rows, cols, size);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const from = source.subarray((r * cols + c) * size, (r * cols + c + 1) * size);
          const to = out.subarray((c * rows + r) * size, (c * rows + r + 1) * size);
          expect(Buffer.from(to)).toEqual(Buffer.from(from));
        }
      }
      expect(Buffer.from(transpose2d(out, cols, rows, size))).toEqual(Buffer.from(source));
    },
  );

  it("keeps NaN payloads and negative zero bit for bit", () => {
    const words = new Uint32Array([0x7fc00001, 0x80000000, 0x3f800000, 0xffffffff]);
    const out = transpose2d(new Uint8Array(words.buffer), 2, 2, 4);
    expect([...new Uint32Array(out.buffer)]).toEqual([0x7fc00001, 0x3f800000, 0x80000000, 0xffffffff]);
  });

  it("refuses a size that does not match the shape", () => {
    expect(() => transpose2d(new Uint8Array(10), 2, 2, 4)).toThrow(/is not 2x2x4/);
  });
});

describe("scanValues", () => {
  it("finds NaN/Inf and all-zero in F32, F16 and BF16", () => {
    expect(scanValues(new Uint8Array(new Float32Array([0, -0, 0]).buffer), "F32")).toEqual({
      nonFinite: 0,
      allZero: true,
    });
    expect(scanValues(new Uint8Array(new Float32Array([1, Number.NaN, -Infinity]).buffer), "F32")).toEqual({
      nonFinite: 2,
      allZero: false,
    });
    expect(scanValues(new Uint8Array(new Uint16Array([0x7c00, 0xfe00, 0x3c00]).buffer), "F16")).toEqual({
      nonFinite: 2,
      allZero: false,
    });
    expect(scanValues(new Uint8Array(new Uint16Array([0x7f80, 0x8000, 0x0000]).buffer), "BF16")).toEqual({
      nonFinite: 1,
      allZero: false,
    });
    expect(scanValues(new Uint8Array(new Uint16Array([0x8000, 0x0000]).buffer), "BF16")).toEqual({
      nonFinite: 0,
      allZero: true,
    });
  });
});
