import { describe, expect, it } from "vitest";
import { ignoredByGitignore } from "./ignored-by-gitignore.js";
import { lfsRuleFor } from "./lfs-rule-for.js";
import { matchGitPattern } from "./match-git-pattern.js";

describe("matchGitPattern", () => {
  it.each([
    ["*.png", "image.png", true],
    ["*.png", "a/b/image.png", true],
    ["*.png", "image.png.txt", false],
    ["*.tar.*", "x.tar.gz", true],
    ["*tfevents*", "runs/events.out.tfevents.123", true],
    ["saved_model/**/*", "saved_model/a/b/c.pb", true],
    ["saved_model/**/*", "saved_model/c.pb", true],
    ["saved_model/**/*", "other/saved_model/c.pb", false],
    ["/top.bin", "top.bin", true],
    ["/top.bin", "sub/top.bin", false],
    ["data/*.csv", "data/x.csv", true],
    ["data/*.csv", "data/sub/x.csv", false],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file/.txt", false],
    ["[ab].txt", "b.txt", true],
    ["[!ab].txt", "b.txt", false],
    ["[!ab].txt", "c.txt", true],
    ["my[[:space:]]file.bin", "my file.bin", true],
    ["\\*.bin", "*.bin", true],
    ["\\*.bin", "x.bin", false],
  ])("%s matches %s: %s", (pattern, filePath, expected) => {
    expect(matchGitPattern(pattern, { folders: false })(filePath)).toBe(expected);
  });

  it("matches the folders of a path only when folders count, and a trailing slash only folders", () => {
    expect(matchGitPattern("nested", { folders: true })("nested/file.bin")).toBe(true);
    expect(matchGitPattern("nested", { folders: false })("nested/file.bin")).toBe(false);
    expect(matchGitPattern("nested/", { folders: true })("nested")).toBe(false);
    expect(matchGitPattern("nested/", { folders: true })("a/nested/file.bin")).toBe(true);
  });
});

describe("lfsRuleFor", () => {
  it("reads filter=lfs, lets a later line win, and says nothing for paths no line names", () => {
    const rule = lfsRuleFor(
      "# comment\n*.bin filter=lfs diff=lfs merge=lfs -text\nsmall.bin -filter\n*.txt text\n*.png filter=other\n",
    );
    expect(rule("weights.bin")).toBe(true);
    expect(rule("small.bin")).toBe(false);
    expect(rule("image.png")).toBe(false);
    expect(rule("notes.txt")).toBeUndefined();
  });
});

describe("ignoredByGitignore", () => {
  it("ignores what a line matches (folders included), and '!' takes a path back", () => {
    const ignored = ignoredByGitignore("# comment\nnested/*\n*.log\n!keep.log\nbuild/\n");
    expect(ignored("nested/file.bin")).toBe(true);
    expect(ignored("nested.bin")).toBe(false);
    expect(ignored("logs/run.log")).toBe(true);
    expect(ignored("keep.log")).toBe(false);
    expect(ignored("build/out/a.o")).toBe(true);
    expect(ignored("file.txt")).toBe(false);
    expect(ignoredByGitignore("")("anything")).toBe(false);
  });
});
