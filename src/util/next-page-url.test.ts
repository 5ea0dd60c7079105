import { describe, expect, it } from "vitest";
import { nextPageUrl } from "./next-page-url.js";

describe("nextPageUrl", () => {
  it.each([
    [
      '<https://hub.test/api/models/a/b/tree/main?cursor=2>; rel="next"',
      "https://hub.test/api/models/a/b/tree/main?cursor=2",
    ],
    ['<https://h/p?x=1>; rel="prev", <https://h/p?x=3>; rel="next"', "https://h/p?x=3"],
    ["<https://h/p?x=3>; rel=next", "https://h/p?x=3"],
    ['<https://h/p?x=1>; rel="prev"', undefined],
    ['<https://h/p?x=1>; rel="nextish"', undefined],
    ["", undefined],
    [null, undefined],
  ])("%s", (link, expected) => {
    expect(nextPageUrl(link)).toBe(expected);
  });
});
