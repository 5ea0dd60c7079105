import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import { fileKey } from "./file-key.js";
import { loadHashCache } from "./load-hash-cache.js";

const entry = (n: number): { sha256: string; size: number } => ({ sha256: n.toString(16).padStart(64, "0"), size: n });

describe("the hash cache", () => {
  it("two uploads saving at the same time keep each other's entries", async () => {
    const dir = await testdir();
    const first = await loadHashCache(dir);
    const second = await loadHashCache(dir);
    for (let n = 1; n <= 50; n++) {
      first.set(`a${n}`, entry(n));
      second.set(`b${n}`, entry(n));
    }

    expect(await Promise.all([first.save(), second.save()])).toEqual([undefined, undefined]);

    const reloaded = await loadHashCache(dir);
    expect(reloaded.get("a50")).toEqual({ ...entry(50), gitSha1: undefined });
    expect(reloaded.get("b1")).toEqual({ ...entry(1), gitSha1: undefined });
    const stored = JSON.parse(await readFile(path.join(dir, "hashes.json"), "utf8")) as { entries: object };
    expect(Object.keys(stored.entries)).toHaveLength(100);
  });

  it("a save after another upload's save merges with it instead of overwriting it", async () => {
    const dir = await testdir();
    const early = await loadHashCache(dir);
    const late = await loadHashCache(dir);
    late.set("late", entry(2));
    await late.save();
    early.set("early", entry(1));
    await early.save();
    const reloaded = await loadHashCache(dir);
    expect(reloaded.get("late")?.sha256).toBe(entry(2).sha256);
    expect(reloaded.get("early")?.sha256).toBe(entry(1).sha256);
  });

  it("ignores a cache written by an older version (whose keys did not hold ctime)", async () => {
    const dir = await testdir();
    await writeFile(
      path.join(dir, "hashes.json"),
      JSON.stringify({ version: 1, entries: { k: { ...entry(1), used: 1 } } }),
    );
    expect((await loadHashCache(dir)).get("k")).toBeUndefined();
  });

  it("keeps the Xet probes of what was sent, and finds them by the content's sha256 after a reload", async () => {
    const dir = await testdir();
    const cache = await loadHashCache(dir);
    const probes = ["1".repeat(64), "2".repeat(64)];
    cache.set("sent", { ...entry(7), xetProbes: probes });
    cache.set("plain", entry(8));
    expect(await cache.save()).toBeUndefined();
    // A hand-edited entry with a probe that is no hash: the probes are dropped, the entry kept.
    const file = path.join(dir, "hashes.json");
    const stored = JSON.parse(await readFile(file, "utf8")) as { entries: Record<string, { xetProbes?: unknown }> };
    (stored.entries["plain"] as { xetProbes?: unknown }).xetProbes = ["not a hash"];
    await writeFile(file, JSON.stringify(stored));

    const reloaded = await loadHashCache(dir);
    expect(reloaded.probesOf(entry(7).sha256)).toEqual(probes);
    expect(reloaded.get("sent")?.xetProbes).toEqual(probes);
    expect(reloaded.probesOf(entry(8).sha256)).toBeUndefined();
    expect(reloaded.get("plain")?.sha256).toBe(entry(8).sha256);
    expect(reloaded.probesOf(entry(9).sha256)).toBeUndefined();
  });

  it("reports, never throws, when it cannot save", async () => {
    const dir = await testdir({ file: "x" });
    const cache = await loadHashCache(path.join(dir, "file", "cache"));
    cache.set("k", entry(1));
    expect(await cache.save()).toMatch(
      /^could not save the hash cache in .* \(ENOTDIR\); the next run will hash again$/,
    );
  });
});

describe("fileKey", () => {
  it("misses after an in-place edit whose mtime was put back", async () => {
    const dir = await testdir({ "w.bin": "aaaa" });
    const file = path.join(dir, "w.bin");
    const key = async (): Promise<string> => {
      const info = await stat(file);
      return fileKey({
        abs: file,
        size: info.size,
        mtimeMs: info.mtimeMs,
        ctimeMs: info.ctimeMs,
        ino: info.ino,
        dev: info.dev,
      });
    };
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const before = await stat(file);
    const original = await key();
    expect(await key()).toBe(original);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, "bbbb");
    await utimes(file, 1_700_000_000, 1_700_000_000);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect(await key()).not.toBe(original);
  });
});
