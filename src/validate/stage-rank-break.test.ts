import { describe, expect, it } from "vitest";
import { stageRankBreak } from "./stage-rank-break.js";

describe("stageRankBreak", () => {
  it.each([
    ["no stages", [], undefined],
    ["one stage", [{ stage: "training", rank: 8 }], undefined],
    [
      "the same rank throughout",
      [
        { stage: "stage1", rank: 8 },
        { stage: "stage2", rank: 8 },
      ],
      undefined,
    ],
    [
      "stage 2 with another rank",
      [
        { stage: "stage1", rank: 8 },
        { stage: "stage2", rank: 16 },
      ],
      { from: { stage: "stage1", rank: 8 }, to: { stage: "stage2", rank: 16 } },
    ],
    [
      "an unknown rank is not guessed",
      [
        { stage: "stage1", rank: undefined },
        { stage: "stage2", rank: 16 },
      ],
      undefined,
    ],
    [
      "the first break, in training order",
      [
        { stage: "stage1", rank: 8 },
        { stage: "stage2", rank: 8 },
        { stage: "stage3", rank: 4 },
        { stage: "stage4", rank: 2 },
      ],
      { from: { stage: "stage2", rank: 8 }, to: { stage: "stage3", rank: 4 } },
    ],
  ])("%s", (_name, stages, expected) => {
    expect(stageRankBreak(stages)).toEqual(expected);
  });
});
