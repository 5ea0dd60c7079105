import { describe, expect, it } from "vitest";
import { topLevelKeys } from "./top-level-keys.js";

describe("topLevelKeys", () => {
  it("lists top-level keys in order, duplicates kept, nested keys and tricky strings ignored", () => {
    const text = '{"a": {"x": 1, "y": [1, {"z": 2}]}, "b\\"q": "v,}", "a": [ "k:", {"w": null} ], "c": 3}';
    expect(topLevelKeys(text)).toEqual(["a", 'b"q', "a", "c"]);
  });
});
