import { describe, expect, it } from "vitest";
import { parseRange } from "./parse-range.js";

describe("parseRange", () => {
  it.each([
    [null, 100, undefined],
    ["bytes=0-0", 100, { start: 0, end: 0 }],
    ["bytes=10-", 100, { start: 10, end: 99 }],
    ["bytes=-10", 100, { start: 90, end: 99 }],
    ["bytes=90-500", 100, { start: 90, end: 99 }],
    ["bytes=100-", 100, "unsatisfiable"],
    ["bytes=5-2", 100, "unsatisfiable"],
    ["bytes=0-0", 0, "unsatisfiable"],
    ["items=0-1", 100, undefined],
  ])("%s of %i bytes", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});
