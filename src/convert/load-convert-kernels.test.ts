import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/helpers/random.js";
import { loadConvertKernels } from "./load-convert-kernels.js";
import { scanValues } from "./scan-values.js";
import { transpose2d } from "./transpose-2d.js";

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

describe("loadConvertKernels", () => {
  it("runs the WebAssembly SIMD kernels on this Node", () => {
    expect(loadConvertKernels(1024).simd).toBe(true);
  });

  // Shapes around the 4x4 / 8x8 SIMD blocks and the 8/16-column tiles, so every edge path runs.
  const shapes: Array<[number, number]> = [
    [1, 1],
    [3, 5],
    [4, 4],
    [8, 8],
    [7, 9],
    [9, 7],
    [16, 16],
    [17, 33],
    [64, 8],
    [8, 64],
    [40, 72],
    [130, 3],
    [5, 130],
  ];
  it.each(shapes.flatMap(([rows, cols]) => ([1, 2, 4, 8] as const).map((size) => [rows, cols, size] as const)))(
    "transposes [%i, %i] of %i-byte words exactly like the reference, in any split of output rows",
    (rows, cols, size) => {
      const source = randomBytes(rows * cols * size, rows * 1000 + cols * 10 + size);
      const expected = transpose2d(source, rows, cols, size);
      const kernels = loadConvertKernels(64 + source.byteLength * 2 + 64);
      const src = 64;
      const dst = 64 + Math.ceil(source.byteLength / 64) * 64;
      kernels.bytes.set(source, src);
      // Whole, then in uneven groups of output rows, as the converter does block by block.
      for (const step of [cols, 3, 4, 5, 8]) {
        kernels.bytes.fill(0xee, dst, dst + source.byteLength);
        for (let c0 = 0; c0 < cols; c0 += step) {
          const c1 = Math.min(cols, c0 + step);
          kernels.transposeRows(src, dst + c0 * rows * size, rows, cols, size, c0, c1);
        }
        expect(Buffer.from(kernels.bytes.subarray(dst, dst + source.byteLength))).toEqual(Buffer.from(expected));
      }
    },
  );

  const scanCases: Array<[string, "F32" | "F16" | "BF16", number[]]> = [
    ["F32 zeros and -0", "F32", [0, 0x80000000, 0, 0, 0, 0x80000000, 0]],
    ["F32 NaN, Inf in the SIMD part and the tail", "F32", [0x7fc00001, 0, 0, 0xff800000, 0, 0, 0, 0, 0x7f800000]],
    ["F32 one tiny value in the tail", "F32", [0, 0, 0, 0, 0, 0, 0, 0, 1]],
    ["F32 one tiny value in the SIMD part", "F32", [0, 0, 1, 0, 0, 0, 0, 0, 0]],
    ["F16 Inf and NaN", "F16", [0x7c00, 0, 0, 0, 0, 0, 0, 0, 0xfe00, 0x3c00]],
    ["F16 all ±0", "F16", [0x8000, 0, 0, 0, 0, 0, 0, 0, 0x8000]],
    ["BF16 NaN in the tail only", "BF16", [0, 0, 0, 0, 0, 0, 0, 0, 0x7fc1]],
    ["BF16 value", "BF16", [0, 0, 0, 0, 0x3f80, 0, 0, 0]],
  ];
  it.each(scanCases)("scans %s like the reference", (_name, dtype, words) => {
    const data =
      dtype === "F32" ? new Uint8Array(new Uint32Array(words).buffer) : new Uint8Array(new Uint16Array(words).buffer);
    const kernels = loadConvertKernels(1024);
    kernels.bytes.set(data, 64);
    expect(kernels.scan(64, data.byteLength, dtype)).toEqual(scanValues(data, dtype));
  });

  it.each(["F16", "BF16", "F32"] as const)(
    "counts every non-finite %s value past the 16-bit lane limit (70,001 of 80,000)",
    (dtype) => {
      const n = 80_000;
      const infinity = dtype === "F32" ? 0x7f800000 : dtype === "F16" ? 0x7c00 : 0x7f80;
      const words = dtype === "F32" ? new Uint32Array(n) : new Uint16Array(n);
      words.fill(infinity, 0, 70_001);
      const data = new Uint8Array(words.buffer);
      const kernels = loadConvertKernels(data.byteLength + 64);
      kernels.bytes.set(data, 64);
      expect(kernels.scan(64, data.byteLength, dtype)).toEqual({ nonFinite: 70_001, allZero: false });
    },
  );
});
