import { describe, expect, it } from "vitest";
import { toRepoName } from "./to-repo-name.js";

describe("toRepoName", () => {
  it.each([
    ["webauthn-security-sequential_20250926_120000", "", "webauthn-security-sequential_20250926_120000"],
    [
      "webauthn-security-sequential_20250926_120000",
      "-training-data",
      "webauthn-security-sequential_20250926_120000-training-data",
    ],
    ["my fused model", "", "my-fused-model"],
    ["Modèle été", "", "Modele-ete"],
    ["--a..b--", "", "a.b"],
    ["日本語", "", "model"],
  ])("%s + %s → %s", (input, suffix, expected) => {
    expect(toRepoName(input, suffix)).toBe(expected);
  });

  it("shortens long names with a hash of the full name, so two runs never share a repo", () => {
    const a = toRepoName(`${"x".repeat(120)}-run-a`);
    const b = toRepoName(`${"x".repeat(120)}-run-b`);
    expect(a).not.toBe(b);
    for (const name of [a, b, toRepoName(`${"x".repeat(120)}-run-a`, "-training-data")]) {
      expect(name.length).toBeLessThanOrEqual(96);
      expect(name).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*$/);
    }
    expect(toRepoName(`${"x".repeat(120)}-run-a`)).toBe(a);
    expect(toRepoName(`${"x".repeat(120)}-run-a`, "-training-data")).toMatch(/-[0-9a-f]{8}-training-data$/);
  });
});
