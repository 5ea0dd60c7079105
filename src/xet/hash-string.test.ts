import { describe, expect, it } from "vitest";
import { hashToHex } from "./hash-to-hex.js";
import { hexToHash } from "./hex-to-hash.js";
import { XetFormatError } from "./xet-format-error.js";

describe("hashToHex / hexToHash", () => {
  const counting = Uint8Array.from({ length: 32 }, (_, i) => i);

  it("prints each 8-byte group as a little-endian u64 (the CAS API's worked example)", () => {
    // The spec prints this string without the "10" of the third group (62 digits, a typo); the
    // reordered bytes it lists just above give these 64.
    expect(hashToHex(counting)).toBe("07060504030201000f0e0d0c0b0a09081716151413121110" + "1f1e1d1c1b1a1918");
  });

  it("parses the string form back to the same bytes, upper-case digits too", () => {
    const text = hashToHex(counting);
    expect([...hexToHash(text)]).toEqual([...counting]);
    expect([...hexToHash(text.toUpperCase())]).toEqual([...counting]);
  });

  it.each([
    ["63 digits", "0".repeat(63)],
    ["65 digits", "0".repeat(65)],
    ["a non-hex digit", `${"0".repeat(63)}g`],
    ["a prefix", `0x${"0".repeat(62)}`],
  ])("refuses a string with %s", (_, text) => {
    expect(() => hexToHash(text)).toThrow(XetFormatError);
  });

  it("refuses a hash that is not 32 bytes", () => {
    expect(() => hashToHex(new Uint8Array(31))).toThrow(RangeError);
  });
});
