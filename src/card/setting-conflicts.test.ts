import { describe, expect, it } from "vitest";
import { settingConflicts } from "./setting-conflicts.js";

const authority: Array<[string, string]> = [
  ["iters", "100"],
  ["learning_rate", "0.0002"],
  ["optimizer", "adamw"],
];

describe("settingConflicts", () => {
  it.each<[string, string, string | undefined]>([
    ["hyperparameters.learning_rate", "2e-4", undefined],
    ["learning_rate", "0.000001", "0.0002"],
    ["hyperparameters.num_iters", "100", undefined],
    ["training_params.iters", "1200", "100"],
    ["training_steps", "1200", "100"],
    ["optimizer", "AdamW", undefined],
    ["optimizer", "sgd", "adamw"],
    ["batch_size", "4", undefined],
    ["timestamp", "2025-09-26", undefined],
  ])("%s = %s against the adapter's config: %s", (key, value, expected) => {
    expect(settingConflicts(authority, [[key, value]]).get(key)).toBe(expected);
  });

  it("finds nothing without an authority", () => {
    expect(settingConflicts([], [["iters", "5"]]).size).toBe(0);
  });
});
