import { describe, expect, it } from "vitest";
import { abandonedRuns } from "./abandoned-runs.js";

const run = (name: string, time: number, incomplete: boolean): { name: string; time: number; incomplete: boolean } => ({
  name,
  time,
  incomplete,
});

describe("abandonedRuns", () => {
  it.each([
    ["no runs", [], []],
    ["only complete runs", [run("a", 1, false), run("b", 2, false)], []],
    ["the newest run still training", [run("a", 1, false), run("b", 2, true)], []],
    ["every run incomplete: none is known to be abandoned", [run("a", 1, true), run("b", 2, true)], []],
    ["an incomplete run older than a complete one", [run("a", 1, true), run("b", 2, false)], ["a"]],
    [
      "in any order, against the newest finished run only",
      [run("c", 3, true), run("b", 2, false), run("a", 1, true)],
      ["a"],
    ],
    [
      "two at the same time: the complete one does not make the other older",
      [run("a", 1, true), run("b", 1, false)],
      [],
    ],
  ])("%s", (_name, runs, expected) => {
    expect([...abandonedRuns(runs)].sort()).toEqual(expected);
  });
});
