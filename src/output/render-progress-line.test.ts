import { describe, expect, it } from "vitest";
import { formatDuration } from "./format-duration.js";
import { renderProgressLine, type ProgressView } from "./render-progress-line.js";

const MiB = 1024 * 1024;
const base: ProgressView = {
  label: "Uploading",
  filesDone: 2,
  filesTotal: 5,
  fraction: 0.41,
  bytes: undefined,
  rate: undefined,
};

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [0.4, "0 s"],
    [4.6, "5 s"],
    [59.4, "59 s"],
    [60, "1 min 00 s"],
    [65, "1 min 05 s"],
    [3599, "59 min 59 s"],
    [3720, "1 h 02 min"],
    [-3, "0 s"],
  ])("%f s → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("renderProgressLine", () => {
  it.each<[string, Partial<ProgressView>, string]>([
    ["files only, when sizes are unknown", {}, "Uploading… 2/5 files · 41%"],
    [
      "bytes, before a rate can be told",
      { bytes: { done: 210 * MiB, total: 512 * MiB } },
      "Uploading… 2/5 files · 41% · 210 MiB / 512 MiB",
    ],
    [
      "bytes, rate and ETA",
      { bytes: { done: 210 * MiB, total: 512 * MiB }, rate: 48 * MiB },
      "Uploading… 2/5 files · 41% · 210 MiB / 512 MiB · 48.0 MiB/s · ETA 6 s",
    ],
    [
      "no ETA once everything is done",
      { filesDone: 5, fraction: 1, bytes: { done: 512 * MiB, total: 512 * MiB }, rate: 48 * MiB },
      "Uploading… 5/5 files · 100% · 512 MiB / 512 MiB · 48.0 MiB/s",
    ],
    ["never more than 100%", { fraction: 1.3 }, "Uploading… 2/5 files · 100%"],
    ["only the name of a step without files", { label: "Committing", filesTotal: 0, filesDone: 0 }, "Committing…"],
    [
      "bytes found on the Hub (Xet dedup) beside the bytes done",
      { bytes: { done: 1980 * MiB, total: 2048 * MiB }, dedupedBytes: 1945.6 * MiB },
      "Uploading… 2/5 files · 41% · 1.93 GiB / 2.00 GiB · 1.90 GiB of 2.00 GiB already on the Hub",
    ],
    [
      "a long ETA",
      { bytes: { done: 1 * MiB, total: 10240 * MiB }, rate: 1 * MiB },
      "Uploading… 2/5 files · 41% · 1.00 MiB / 10.0 GiB · 1.00 MiB/s · ETA 2 h 50 min",
    ],
  ])("%s", (_name, change, line) => {
    expect(renderProgressLine([{ ...base, ...change }])).toBe(line);
  });

  it("joins steps that run at the same time", () => {
    expect(renderProgressLine([{ ...base, label: "Hashing", filesDone: 1 }, base])).toBe(
      "Hashing… 1/5 files · 41%  |  Uploading… 2/5 files · 41%",
    );
  });

  it("cuts the line to the terminal width so it never wraps", () => {
    const line = renderProgressLine([{ ...base, bytes: { done: 210 * MiB, total: 512 * MiB }, rate: 48 * MiB }], 30);
    expect(line).toBe("Uploading… 2/5 files · 41% ·…");
    expect(line.length).toBeLessThan(30);
    expect(renderProgressLine([base], 80)).toBe("Uploading… 2/5 files · 41%");
  });
});
