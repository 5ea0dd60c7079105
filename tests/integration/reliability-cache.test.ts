import { createHash, randomBytes } from "node:crypto";
import { open, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const REPO = `alice/${RUN}`;
const sha = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

describe("the hash cache never vouches for changed bytes", () => {
  it("an in-place edit with the mtime put back is uploaded, not reported as already up to date", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(4 * 1024 * 1024) } });
    const weights = path.join(run, "fused", "model.bin");
    await utimes(weights, 1_700_000_000, 1_700_000_000);
    expect((await runCli(["--model-dir", models], { home })).exitCode).toBe(0);

    // Same size, same mtime, same inode: only the bytes (and the ctime, which cannot be set back) differ.
    const edited = randomBytes(4 * 1024 * 1024);
    const handle = await open(weights, "r+");
    await handle.write(edited, 0, edited.length, 0);
    await handle.close();
    await utimes(weights, 1_700_000_000, 1_700_000_000);
    const second = await runCli(["--model-dir", models], { home });

    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).not.toContain("Already up to date");
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(2);
    expect(sha(await hub.fileContent(REPO, "fused/model.bin"))).toBe(sha(edited));
  });
});

describe("a cache folder that cannot be written", () => {
  it.each([
    ["under a regular file (ENOTDIR)", (scratch: string) => path.join(scratch, "file", "cache")],
    ["under /proc", () => "/proc/process-artifacts-test/cache"],
  ])("%s: the upload runs without the cache, with a warning, not an internal error", async (_name, cacheHome) => {
    const hub = useFakeHub();
    const scratch = await testdir();
    await writeFile(path.join(scratch, "file"), "not a folder");
    // Until the command passes its TMPDIR explicitly, the lock falls back to the system temp folder.
    const systemTmp = await testdir();
    vi.stubEnv("TMPDIR", systemTmp);
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models], { env: { XDG_CACHE_HOME: cacheHome(scratch) } });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("Internal error");
    expect(result.stderr).toMatch(
      /^Warning: The cache folder .*process-artifacts cannot be written \((ENOTDIR|ENOENT)\); uploading without the hash cache, with the run lock in /m,
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
    // The lock was taken in a fallback folder, and released.
    const lockFolders: string[] = [];
    for (const base of [systemTmp, result.tmpdir]) {
      for (const name of await readdir(base)) {
        if (name.startsWith("process-artifacts-locks-")) {
          lockFolders.push(path.join(base, name));
        }
      }
    }
    expect(lockFolders).toHaveLength(1);
    expect(await readdir(lockFolders[0] ?? "")).toEqual([]);
    expect(await readFile(path.join(scratch, "file"), "utf8")).toBe("not a folder");
  });
});
