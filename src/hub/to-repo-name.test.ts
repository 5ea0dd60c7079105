import { describe, expect, it } from "vitest";
import { toRepoName } from "./to-repo-name.js";

describe("toRepoName", () => {
  it.each([
    ["webauthn-security-sequential_20250926_120000", "webauthn-security-sequential_20250926_120000"],
    ["my fused model", "my-fused-model"],
    ["Modèle été", "Modele-ete"],
    ["--a..b--", "a.b"],
    ["日本語", "model"],
    ["x".repeat(120), "x".repeat(96)],
  ])("%s → %s", (input, expected) => {
    expect(toRepoName(input)).toBe(expected);
  });
});
