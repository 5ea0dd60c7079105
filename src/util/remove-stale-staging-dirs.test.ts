import { mkdir, readdir, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import { createOwnedStagingDir } from "./create-owned-staging-dir.js";
import { removeStaleStagingDirs } from "./remove-stale-staging-dirs.js";
import { stagingDirOwner } from "./staging-dir-owner.js";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 8, 26, 12);

describe("createOwnedStagingDir / removeStaleStagingDirs", () => {
  it("names the folder after its owner", async () => {
    const tmp = await testdir();
    const dir = await createOwnedStagingDir(tmp, { pid: 4242, host: "trainer-1", now: () => NOW });
    expect(path.dirname(dir)).toBe(tmp);
    expect(stagingDirOwner(path.basename(dir))).toEqual({
      pid: 4242,
      startedAt: NOW,
      hostTag: expect.stringMatching(/^[0-9a-f]{8}$/) as unknown,
    });
    expect(stagingDirOwner("process-artifacts-abc123")).toBeUndefined();
    expect(stagingDirOwner("process-artifacts-staging-1-2-zzzzzzzz-abcdef")).toBeUndefined();
  });

  it("removes only this tool's folders whose process is gone or that are a day old, and nothing else", async () => {
    const tmp = await testdir();
    const outside = await testdir({ "keep.txt": "x" });
    const alive = new Set([100, 200]);
    const make = (pid: number, host: string, startedAt: number): Promise<string> =>
      createOwnedStagingDir(tmp, { pid, host, now: () => startedAt });
    const deadHere = await make(300, "trainer-1", NOW - 60_000);
    const aliveHere = await make(100, "trainer-1", NOW - 60_000);
    const aliveButOld = await make(200, "trainer-1", NOW - 2 * DAY);
    const otherHostRecent = await make(300, "trainer-2", NOW - 60_000);
    const otherHostOld = await make(300, "trainer-2", NOW - 2 * DAY);
    await mkdir(path.join(deadHere, "adapter"));
    // Look-alikes that are not ours: another tool's folder, the old unmarked name, a link named like ours.
    await mkdir(path.join(tmp, "process-artifacts-other"));
    await mkdir(path.join(tmp, "process-artifacts-Ab12Cd"));
    const linkName = `${path.basename(deadHere).slice(0, -6)}LINKED`;
    await symlink(outside, path.join(tmp, linkName));

    const removed = await removeStaleStagingDirs(tmp, {
      host: "trainer-1",
      now: () => NOW,
      isAlive: (pid) => alive.has(pid),
    });

    expect(removed.sort()).toEqual([aliveButOld, deadHere, otherHostOld].sort());
    expect((await readdir(tmp)).sort()).toEqual(
      [
        path.basename(aliveHere),
        path.basename(otherHostRecent),
        "process-artifacts-other",
        "process-artifacts-Ab12Cd",
        linkName,
      ].sort(),
    );
    expect(await readdir(outside)).toEqual(["keep.txt"]);
  });

  it("never removes the folder of the process asking, and tolerates a missing tmp folder", async () => {
    const tmp = await testdir();
    const mine = await createOwnedStagingDir(tmp, { now: () => NOW - 2 * DAY });
    expect(await removeStaleStagingDirs(tmp, { now: () => NOW })).toEqual([]);
    expect(await readdir(tmp)).toEqual([path.basename(mine)]);
    expect(await removeStaleStagingDirs(path.join(tmp, "missing"))).toEqual([]);
  });
});
