import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { refNameProblem } from "./ref-name-problem.js";

const NAMES: Array<[string, boolean]> = [
  ["webauthn-security-sequential-20251015_120000", true],
  ["webauthn-security-sequential_20250926_120000", true],
  ["v1.0", true],
  ["über-run", true],
  ["run+1", true],
  ["a@b", true],
  ["-leading-dash", true],
  ["a/b", true],
  ["run with spaces", false],
  ["a..b", false],
  ["x~1", false],
  ["x^2", false],
  ["x:3", false],
  ["x.lock", false],
  ["a@{b}", false],
  ["what?", false],
  ["star*", false],
  ["br[acket", false],
  ["back\\slash", false],
  ["tab\there", false],
  ["del\x7f", false],
  [".hidden", false],
  ["a/.hidden", false],
  ["a/b.lock/c", false],
  ["trailing.", false],
  ["/leading", false],
  ["trailing/", false],
  ["a//b", false],
  ["@", true],
  ["", false],
];

// git itself is the reference: every verdict below is also checked against `git check-ref-format`.
const git = spawnSync("git", ["--version"], { encoding: "utf8" });

describe("refNameProblem", () => {
  it.each(NAMES)("%j → valid: %s", (name, valid) => {
    const problem = refNameProblem(name);
    expect(problem === undefined).toBe(valid);
    if (!valid) {
      expect(problem).toMatch(/^(it|its part)/);
    }
  });

  it.skipIf(git.status !== 0)("agrees with git check-ref-format on every name", () => {
    const verdicts = NAMES.map(([name]) => [
      name,
      spawnSync("git", ["check-ref-format", `refs/tags/${name}`]).status === 0,
      refNameProblem(name) === undefined,
    ]);
    expect(verdicts.filter(([, byGit, byUs]) => byGit !== byUs)).toEqual([]);
  });

  it("names what is wrong", () => {
    expect(refNameProblem("run with spaces")).toBe("it contains a space");
    expect(refNameProblem("a..b")).toBe('it contains ".."');
    expect(refNameProblem("x.lock")).toBe('it ends with ".lock"');
    expect(refNameProblem("a@{b}")).toBe('it contains "@{"');
    expect(refNameProblem("tab\there")).toBe("it contains a control character (U+0009)");
  });
});
