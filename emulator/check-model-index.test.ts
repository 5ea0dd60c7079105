import { describe, expect, it } from "vitest";
import { checkModelIndex } from "./check-model-index.js";

const result = {
  task: { type: "text-generation" },
  dataset: { type: "alice/data", name: "alice/data", split: "test" },
  metrics: [{ type: "accuracy", value: 0.5 }],
};

describe("checkModelIndex", () => {
  it("accepts the schema's shape", () => {
    expect(checkModelIndex([{ name: "m", results: [result] }])).toBeUndefined();
    expect(checkModelIndex([{ name: "m", results: [] }])).toBeUndefined();
  });

  it.each([
    ["foo", /must be a list/],
    [[{ results: [result] }], /\{name: string, results: list\}/],
    [[{ name: "m", results: [{ ...result, task: {} }] }], /task with a "type"/],
    [[{ name: "m", results: [{ ...result, dataset: { type: "x" } }] }], /dataset with a "type" and a "name"/],
    [
      [{ name: "m", results: [{ ...result, metrics: [{ type: "acc" }] }] }],
      /metrics, each with a "type" and a "value"/,
    ],
  ])("refuses %j", (value, message) => {
    expect(checkModelIndex(value)).toMatch(message);
  });
});
