import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunName } from "./parse-run-name.js";
import { pickRuns } from "./pick-runs.js";

describe("parseRunName", () => {
  it.each([
    ["webauthn-security-sequential_20250926_120000", "2025-09-26T12:00:00"],
    ["webauthn-security-sequential-20250926_120000", "2025-09-26T12:00:00"],
    ["webauthn-security-20251006_112442", "2025-10-06T11:24:42"],
    ["webauthn-security-sequential_20240229_235959", "2024-02-29T23:59:59"],
    ["webauthn-security-sequential_20250101_000000", "2025-01-01T00:00:00"],
    ["webauthn-security-sequential_20251231_120000", "2025-12-31T12:00:00"],
  ])("parses %s", (name, timestamp) => {
    expect(parseRunName(name)).toMatchObject({ ok: true, timestamp });
  });

  it.each([
    ["webauthn-security-sequential_20251301_000000", /impossible timestamp 2025-13-01/],
    ["webauthn-security-sequential_20250230_000000", /impossible timestamp/],
    ["webauthn-security-sequential_20230229_000000", /impossible timestamp/],
    ["webauthn-security-sequential_20250926_240000", /impossible timestamp/],
    ["webauthn-security-sequential_20250926_126000", /impossible timestamp/],
    ["webauthn-security-sequential_20250100_000000", /impossible timestamp/],
    ["webauthn-security-sequential_20250001_000000", /impossible timestamp/],
    ["webauthn-security-sequential_20250926_125960", /impossible timestamp/],
    ["webauthn-security-sequential_20250132_000000", /impossible timestamp 2025-01-32/],
    ["webauthn-security-sequential_20250431_000000", /impossible timestamp 2025-04-31/],
    // Rolls over into the next year, not just the next month.
    ["webauthn-security-sequential_20251232_000000", /impossible timestamp 2025-12-32/],
    ["webauthn-security-sequential_20251231_240000", /impossible timestamp/],
    ["webauthn-security-sequential_20250926_990000", /impossible timestamp/],
    ["webauthn-security-sequential_20250926_235960", /impossible timestamp/],
    ["webauthn-security-sequential_20250926_235999", /impossible timestamp/],
    ["webauthn-security-sequential_20259926_000000", /impossible timestamp/],
    // Date.UTC reads years 0–99 as 1900–1999.
    ["webauthn-security-sequential_00991231_120000", /impossible timestamp 0099-12-31 12:00:00/],
    ["webauthn-security-sequential_20250926_120000_peft_converted", /derived folder/],
    ["webauthn-security-sequential_20250926_120000_merged_q4", /derived folder/],
    ["webauthn-security-sequential_20250926_120000_fused", /derived folder/],
    ["webauthn-security-sequential_20250926_120000_fused_old", /does not match/],
    ["webauthn-security-sequential_20250926_120000_peft_converted_old", /does not match/],
    ["old-webauthn-security-sequential_20250926_120000_fused", /does not match/],
    ["old-webauthn-security-sequential_20250926_120000", /does not match/],
    ["webauthn-security-sequential_2025092_120000", /does not match/],
    ["webauthn-security_20250926_120000", /does not match/],
    ["webauthn-security-20250926_120000_test", /does not match/],
    // The message names every accepted spelling, so the user can rename the folder.
    [
      "other",
      /does not match webauthn-security-sequential_YYYYMMDD_HHMMSS, webauthn-security-sequential-YYYYMMDD_HHMMSS or webauthn-security-YYYYMMDD_HHMMSS$/,
    ],
  ])("rejects %s", (name, reason) => {
    const parsed = parseRunName(name);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toMatch(reason);
  });
});

describe("pickRuns", () => {
  it("orders by parsed time, not by name or input order, and explains every ignored entry", () => {
    const { runs, ignored } = pickRuns("/m", [
      { name: "webauthn-security-sequential_20250925_100000", isDirectory: true },
      { name: "webauthn-security-sequential-20250926_150000", isDirectory: true },
      { name: "webauthn-security-sequential_20250926_120000", isDirectory: true },
      { name: "webauthn-security-sequential_20990101_000000", isDirectory: false },
      { name: ".DS_Store", isDirectory: false },
    ]);
    expect(runs.map((run) => run.name)).toEqual([
      "webauthn-security-sequential-20250926_150000",
      "webauthn-security-sequential_20250926_120000",
      "webauthn-security-sequential_20250925_100000",
    ]);
    expect(ignored).toEqual([
      { name: ".DS_Store", reason: expect.stringMatching(/does not match/) as unknown },
      { name: "webauthn-security-sequential_20990101_000000", reason: "not a directory" },
    ]);
  });

  it("gives each run its path and the time from its name", () => {
    expect(pickRuns("/m", [{ name: "webauthn-security-20251006_112442", isDirectory: true }])).toEqual({
      runs: [
        {
          name: "webauthn-security-20251006_112442",
          path: path.join("/m", "webauthn-security-20251006_112442"),
          timestamp: "2025-10-06T11:24:42",
          time: Date.UTC(2025, 9, 6, 11, 24, 42),
        },
      ],
      ignored: [],
    });
  });

  it("breaks a timestamp tie by name so the choice is stable", () => {
    const a = "webauthn-security-sequential-20250926_120000";
    const b = "webauthn-security-sequential_20250926_120000";
    expect(
      pickRuns("/m", [
        { name: a, isDirectory: true },
        { name: b, isDirectory: true },
      ]).runs[0]?.name,
    ).toBe(b);
    expect(
      pickRuns("/m", [
        { name: b, isDirectory: true },
        { name: a, isDirectory: true },
      ]).runs[0]?.name,
    ).toBe(b);
  });
});
