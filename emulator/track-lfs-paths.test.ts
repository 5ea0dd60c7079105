import { describe, expect, it } from "vitest";
import { lfsRuleFor } from "./lfs-rule-for.js";
import { trackLfsPaths } from "./track-lfs-paths.js";

describe("trackLfsPaths", () => {
  const rules = "*.bin filter=lfs diff=lfs merge=lfs -text\n";

  it("leaves .gitattributes alone when every LFS path is covered", () => {
    expect(trackLfsPaths(rules, ["a.bin", "x/b.bin"])).toBe(rules);
  });

  it("adds one line per uncovered path, once, matching exactly that path", () => {
    const out = trackLfsPaths(rules.trimEnd(), ["big.txt", "big.txt", "dir/my data[1].csv"]);
    expect(out).toBe(
      `${rules}big.txt filter=lfs diff=lfs merge=lfs -text\ndir/my[[:space:]]data\\[1].csv filter=lfs diff=lfs merge=lfs -text\n`,
    );
    const rule = lfsRuleFor(out);
    expect(rule("big.txt")).toBe(true);
    expect(rule("dir/my data[1].csv")).toBe(true);
    expect(rule("dir/my data1.csv")).toBeUndefined();
  });

  it("starts a .gitattributes when there is none", () => {
    expect(trackLfsPaths("", ["a.txt"])).toBe("a.txt filter=lfs diff=lfs merge=lfs -text\n");
  });
});
