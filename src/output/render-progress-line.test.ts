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
      { bytes: { done: 1980 * MiB, total: 2048 * MiB, deduped: 1945.6 * MiB } },
      "Uploading… 2/5 files · 41% · 1.93 GiB / 2.00 GiB · 1.90 GiB of 2.00 GiB already on the Hub",
    ],
    [
      "a long ETA",
      { bytes: { done: 1024 * MiB, total: 10240 * MiB }, rate: 1 * MiB },
      "Uploading… 2/5 files · 41% · 1.00 GiB / 10.0 GiB · 1.00 MiB/s · ETA 2 h 33 min",
    ],
    [
      "no ETA before a hundredth is done: the first small files say nothing of the large ones",
      { bytes: { done: 17 * 1024, total: 1200 * MiB }, rate: 23 * 1024 },
      "Uploading… 2/5 files · 41% · 17.0 KiB / 1.17 GiB · 23.0 KiB/s",
    ],
  ])("%s", (_name, change, line) => {
    expect(renderProgressLine([{ ...base, ...change }])).toBe(line);
  });

  it("joins steps that run at the same time", () => {
    expect(renderProgressLine([{ ...base, label: "Hashing", filesDone: 1 }, base])).toBe(
      "Hashing… 1/5 files · 41%  |  Uploading… 2/5 files · 41%",
    );
  });

  it.each<[number, string]>([
    [80, "Uploading… 2/5 files · 41% · 210 MiB / 512 MiB · 48.0 MiB/s · ETA 6 s"],
    [69, "Uploading… 41% · 210 MiB / 512 MiB · 48.0 MiB/s · ETA 6 s"],
    [57, "Uploading… 41% · 48.0 MiB/s · ETA 6 s"],
    [40, "Uploading… 41% · 48.0 MiB/s · ETA 6 s"],
    [37, "41% · 48.0 MiB/s · ETA 6 s"],
    [26, "48.0 MiB/s · ETA 6 s"],
    [20, "48.0 MiB/s · ETA 6…"],
  ])("at %i columns keeps rate and ETA and gives up the rest first, never reaching the last column", (width, line) => {
    const view = { ...base, bytes: { done: 210 * MiB, total: 512 * MiB }, rate: 48 * MiB };
    expect(renderProgressLine([view], width)).toBe(line);
    expect(renderProgressLine([view], width).length).toBeLessThan(width);
  });

  it("on a narrow terminal keeps the newest step and gives up the others", () => {
    const hashing = { ...base, label: "Hashing", bytes: { done: 1 * MiB, total: 2 * MiB }, rate: 100 * MiB };
    const uploading = { ...base, bytes: { done: 210 * MiB, total: 512 * MiB }, rate: 48 * MiB };
    expect(renderProgressLine([hashing, uploading], 80)).toBe(
      "Hashing… 41% · 100 MiB/s · ETA 0 s  |  Uploading… 41% · 48.0 MiB/s · ETA 6 s",
    );
    expect(renderProgressLine([hashing, uploading], 60)).toBe("Uploading… 41% · 48.0 MiB/s · ETA 6 s");
  });

  it("says how much the storage already had, and gives that up early on a narrow terminal", () => {
    const view = {
      ...base,
      filesDone: 5,
      fraction: 1,
      bytes: { done: 2048 * MiB, total: 2048 * MiB, deduped: 1946 * MiB },
      rate: 20 * MiB,
    };
    expect(renderProgressLine([view])).toBe(
      "Uploading… 5/5 files · 100% · 2.00 GiB / 2.00 GiB · 1.90 GiB of 2.00 GiB already on the Hub · 20.0 MiB/s",
    );
    expect(renderProgressLine([view], 80)).toBe("Uploading… 100% · 2.00 GiB / 2.00 GiB · 20.0 MiB/s");
  });

  it("shows for how long a step without files has run, once it is a second", () => {
    const committing = { ...base, label: "Committing", filesTotal: 0, filesDone: 0 };
    expect(renderProgressLine([{ ...committing, elapsedMs: 400 }])).toBe("Committing…");
    expect(renderProgressLine([{ ...committing, elapsedMs: 65_000 }])).toBe("Committing… 1 min 05 s");
  });
});
