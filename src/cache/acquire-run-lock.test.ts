import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import { BusyError } from "../errors.js";
import { acquireRunLock } from "./acquire-run-lock.js";

describe("acquireRunLock", () => {
  it("takes the lock in the cache folder when it can be written", async () => {
    const cache = await testdir();
    const lock = await acquireRunLock({ cacheDir: cache, runPath: "/runs/a", fallbackDir: await testdir() });
    expect(lock).toMatchObject({ note: undefined, cacheWritable: true });
    expect(await readdir(path.join(cache, "locks"))).toHaveLength(1);
    await lock.release();
    expect(await readdir(path.join(cache, "locks"))).toEqual([]);
  });

  it.each([
    [
      "a cache path under a regular file",
      async () => path.join(await testdir({ file: "x" }), "file", "cache"),
      "ENOTDIR",
    ],
    ["a cache path under /proc", () => Promise.resolve("/proc/process-artifacts-test/cache"), "ENOENT"],
  ])(
    "%s: the lock goes to the fallback folder, with one note, and still excludes a second upload",
    async (_name, cacheDir, code) => {
      const tmp = await testdir();
      const unwritable = await cacheDir();
      const lock = await acquireRunLock({ cacheDir: unwritable, runPath: "/runs/a", fallbackDir: tmp });

      expect(lock.cacheWritable).toBe(false);
      expect(lock.note).toBe(
        `The cache folder ${unwritable} cannot be written (${code}); uploading without the hash cache, with the run lock in ${path.join(tmp, `process-artifacts-locks-${process.getuid?.() ?? 0}`)}`,
      );
      await expect(
        acquireRunLock({ cacheDir: unwritable, runPath: "/runs/a", fallbackDir: tmp }),
      ).rejects.toBeInstanceOf(BusyError);
      await lock.release();
      const again = await acquireRunLock({ cacheDir: unwritable, runPath: "/runs/a", fallbackDir: tmp });
      await again.release();
    },
  );

  it("fails with one line when neither folder can be written", async () => {
    const scratch = await testdir({ file: "x" });
    await writeFile(path.join(scratch, "tmpfile"), "");
    await expect(
      acquireRunLock({
        cacheDir: path.join(scratch, "file", "c"),
        runPath: "/runs/a",
        fallbackDir: path.join(scratch, "tmpfile"),
      }),
    ).rejects.toThrow(/^Cannot create the upload lock in .* \(ENOTDIR\) nor in .* \(ENOTDIR\)$/);
  });
});
