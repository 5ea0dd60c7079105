import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { scanContent } from "./scan-content.js";

const TOKEN = `hf_${"A1b2C3d4E5".repeat(4)}`;

describe("scanContent: gzip is decompressed up to a cap", () => {
  it("refuses what decompresses to more than the cap, and reads what stays under it", async () => {
    // 64 KiB of zeros compress to about 100 bytes: the shape of a decompression bomb.
    const bomb = gzipSync(Buffer.alloc(64 * 1024));
    const small = gzipSync(`${TOKEN}\n`);

    expect(await scanContent({ bytes: bomb }, 32 * 1024)).toEqual({
      problem:
        "decompresses to more than 32.0 KiB, more than is checked for secrets; publish it uncompressed (text files are checked whatever their size) or remove it from the run",
    });
    expect(await scanContent({ bytes: bomb }, 64 * 1024)).toEqual({ container: "gzip", hits: [] });
    expect(await scanContent({ bytes: small }, 64 * 1024)).toMatchObject({
      container: "gzip",
      hits: [{ line: 1, kind: "Hugging Face token" }],
    });
  });
});
