import { describe, expect, it } from "vitest";
import { createProgressTracker } from "./create-progress-tracker.js";

const MiB = 1024 * 1024;

describe("createProgressTracker", () => {
  it("shows nothing before the first phase", () => {
    expect(createProgressTracker().views()).toEqual([]);
  });

  it("measures bytes, rate and the files done from sized events, with the given clock", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 0, bytes: 0, totalBytes: 100 * MiB }, 1000);
    tracker.file({ path: "b", state: "uploading", progress: 1, bytes: 10 * MiB, totalBytes: 10 * MiB }, 1000);
    tracker.file({ path: "a", state: "uploading", progress: 0.2, bytes: 20 * MiB, totalBytes: 100 * MiB }, 2000);
    expect(tracker.views()).toEqual([
      {
        label: "Uploading",
        filesDone: 1,
        filesTotal: 2,
        fraction: 30 / 110,
        bytes: { done: 30 * MiB, total: 110 * MiB },
        // b was done within the window, so its 10 MiB count too.
        rate: 30 * MiB,
      },
    ]);
  });

  it("follows the recent rate, not the average since the start", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    const total = 1000 * MiB;
    // 1 MiB/s for 20 s, then 10 MiB/s.
    for (let t = 0; t <= 20; t++) {
      tracker.file({ path: "a", state: "uploading", progress: 0, bytes: t * MiB, totalBytes: total }, t * 1000);
    }
    for (let t = 21; t <= 30; t++) {
      const bytes = 20 * MiB + (t - 20) * 10 * MiB;
      tracker.file({ path: "a", state: "uploading", progress: 0, bytes, totalBytes: total }, t * 1000);
    }
    expect(tracker.views()[0]?.rate).toBe(10 * MiB);
  });

  it("has no rate until half a second has passed", () => {
    const tracker = createProgressTracker();
    tracker.phase("hashing");
    tracker.file({ path: "a", state: "hashing", progress: 0, bytes: 0, totalBytes: MiB }, 0);
    tracker.file({ path: "a", state: "hashing", progress: 0.5, bytes: MiB / 2, totalBytes: MiB }, 400);
    expect(tracker.views()[0]?.rate).toBeUndefined();
  });

  it("falls back to file fractions when any file has no size", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 0.5 }, 0);
    tracker.file({ path: "b", state: "uploading", progress: 0, bytes: 0, totalBytes: MiB }, 0);
    expect(tracker.views()).toMatchObject([{ fraction: 0.25, bytes: undefined, rate: undefined, filesDone: 0 }]);
  });

  it("shows hashing and uploading side by side while both run, and drops a finished step", () => {
    const tracker = createProgressTracker();
    tracker.phase("hashing");
    tracker.file({ path: "a", state: "hashing", progress: 1, bytes: 5, totalBytes: 5 }, 0);
    tracker.file({ path: "b", state: "hashing", progress: 0.5, bytes: 5, totalBytes: 10 }, 0);
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 0.2, bytes: 1, totalBytes: 5 }, 0);
    expect(tracker.views().map((view) => view.label)).toEqual(["Hashing", "Uploading"]);
    tracker.file({ path: "b", state: "hashing", progress: 1, bytes: 10, totalBytes: 10 }, 0);
    expect(tracker.views().map((view) => view.label)).toEqual(["Uploading"]);
  });

  it("adds up the bytes each file found on the Hub (Xet dedup), and leaves them out when none did", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 0.5, bytes: 50, totalBytes: 100, dedupedBytes: 40 }, 0);
    tracker.file({ path: "b", state: "uploading", progress: 1, bytes: 100, totalBytes: 100, dedupedBytes: 100 }, 0);
    expect(tracker.views()[0]).toMatchObject({ bytes: { done: 150, total: 200, deduped: 140 } });
    const lfs = createProgressTracker();
    lfs.phase("uploading");
    lfs.file({ path: "a", state: "uploading", progress: 0.5, bytes: 50, totalBytes: 100 }, 0);
    expect(lfs.views()[0]?.bytes).not.toHaveProperty("deduped");
  });

  it("shows a phase without files by its name", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 1, bytes: 5, totalBytes: 5 }, 0);
    tracker.phase("committing");
    expect(tracker.views()).toEqual([
      {
        label: "Committing",
        filesDone: 0,
        filesTotal: 0,
        fraction: 0,
        bytes: undefined,
        rate: undefined,
        elapsedMs: undefined,
      },
    ]);
  });

  it("tells how long a step without files has run, from its phase event", () => {
    const tracker = createProgressTracker();
    tracker.phase("committing", 10_000);
    tracker.phase("committing", 12_000);
    expect(tracker.views(15_500)[0]?.elapsedMs).toBe(5500);
  });

  it("never goes backwards when a retried upload reports its bytes from 0 again; the rate falls meanwhile", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    const size = 100 * MiB;
    tracker.file({ path: "a", state: "uploading", progress: 0, bytes: 0, totalBytes: size }, 0);
    tracker.file({ path: "a", state: "uploading", progress: 0.6, bytes: 60 * MiB, totalBytes: size }, 1000);
    const before = tracker.views()[0];
    // The PUT failed and is sent again from its first byte.
    tracker.file({ path: "a", state: "uploading", progress: 0, bytes: 0, totalBytes: size }, 1500);
    tracker.file({ path: "a", state: "uploading", progress: 0.3, bytes: 30 * MiB, totalBytes: size }, 2000);
    const after = tracker.views()[0];
    expect(before?.fraction).toBe(0.6);
    expect(after?.fraction).toBe(0.6);
    expect(after?.bytes).toEqual({ done: 60 * MiB, total: size });
    expect(after?.rate).toBe(30 * MiB);
    tracker.file({ path: "a", state: "uploading", progress: 0.8, bytes: 80 * MiB, totalBytes: size }, 3000);
    expect(tracker.views()[0]?.fraction).toBe(0.8);
  });

  it("counts bytes the storage already had as done, but not in the rate", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 0, bytes: 0, totalBytes: 100 * MiB }, 0);
    tracker.file(
      { path: "a", state: "uploading", progress: 0.9, bytes: 90 * MiB, totalBytes: 100 * MiB, dedupedBytes: 80 * MiB },
      1000,
    );
    expect(tracker.views()).toMatchObject([
      { fraction: 0.9, bytes: { done: 90 * MiB, total: 100 * MiB, deduped: 80 * MiB }, rate: 10 * MiB },
    ]);
  });

  it("lets the rate fall while nothing arrives, when asked with the time", () => {
    const tracker = createProgressTracker();
    tracker.phase("uploading");
    tracker.file({ path: "a", state: "uploading", progress: 0, bytes: 0, totalBytes: 100 * MiB }, 0);
    tracker.file({ path: "a", state: "uploading", progress: 0.1, bytes: 10 * MiB, totalBytes: 100 * MiB }, 1000);
    expect(tracker.views(1000)[0]?.rate).toBe(10 * MiB);
    expect(tracker.views(5000)[0]?.rate).toBe(2 * MiB);
  });
});
