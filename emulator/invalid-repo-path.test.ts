import { describe, expect, it } from "vitest";
import { invalidRepoPath } from "./invalid-repo-path.js";

describe("invalidRepoPath", () => {
  it.each(["..\\ddd", "a\\b.txt", "", "/abs.txt", "a//b", "./a", "a/../b", "..", ".git/config", "x/.GIT/y"])(
    "refuses %j",
    (filePath) => {
      expect(invalidRepoPath(filePath)).toEqual(expect.any(String));
    },
  );

  it.each(["a.txt", "nested/dir/file.bin", ".gitattributes", ".git_something/file.txt", "file.git", "..a", "a..b"])(
    "accepts %j",
    (filePath) => {
      expect(invalidRepoPath(filePath)).toBeUndefined();
    },
  );
});
