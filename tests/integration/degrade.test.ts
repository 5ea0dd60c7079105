import { spawn } from "node:child_process";
import { chmod, chown, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createOwnedStagingDir } from "../../src/util/create-owned-staging-dir.js";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { stallResponse } from "../../emulator/misbehaviour/stall-response.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { cliForUser } from "../helpers/cli-for-user.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { testdir } from "../helpers/testdir.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { ANNOUNCEMENT } from "../helpers/announcement.js";

const OLDER = "webauthn-security-sequential_20250925_100000";
const REPO = `alice/${RUN}`;

async function servedHub(hub: FakeHub): Promise<string> {
  const served = await serveFakeHub(hub);
  onTestFinished(() => served.close());
  return served.url;
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    await chown(path.join(entry.parentPath, entry.name), uid, gid);
  }
}

describe("degrade, don't crash", () => {
  it.each(["HOME", "XDG_CACHE_HOME"])(
    "%s under a regular file (ENOTDIR): uploads with exactly one warning, the lock in TMPDIR released",
    async (variable) => {
      const hub = new FakeHub();
      const url = await servedHub(hub);
      const scratch = await testdir({ file: "not a folder" });
      const home = variable === "HOME" ? path.join(scratch, "file", "home") : await testdir();
      const tmp = await testdir();
      const models = await testdir();
      await writeMlxRun(models, RUN);

      const result = await spawnCli(
        ["--model-dir", models],
        {
          HOME: home,
          TMPDIR: tmp,
          HF_ENDPOINT: url,
          HF_TOKEN: DEFAULT_TOKEN,
          ...(variable === "XDG_CACHE_HOME" ? { XDG_CACHE_HOME: path.join(scratch, "file", "cache") } : {}),
        },
        { deadlineMs: 60_000 },
      ).result;

      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr.trimEnd().split("\n")).toEqual([
        expect.stringMatching(
          /^Warning: The cache folder .+\/file\/.+ cannot be written \(ENOTDIR\); uploading without the hash cache, with the run lock in .+process-artifacts-locks-\d+$/,
        ),
        expect.stringMatching(ANNOUNCEMENT),
      ]);
      expect(result.stdout).toContain(`✅ Model uploaded successfully: ${url}/${REPO}`);
      expect(commitsAfterInitial(hub.repo("model", REPO))).toHaveLength(1);
      // The staging folder is gone; the lock folder in TMPDIR is left empty.
      const left = await readdir(tmp);
      expect(left).toEqual([expect.stringMatching(/^process-artifacts-locks-\d+$/)]);
      expect(await readdir(path.join(tmp, left[0] ?? ""))).toEqual([]);
    },
  );

  it.for([
    ["a folder of extra files (logs/)", "logs"],
    ["the adapters folder itself", "adapters"],
  ] as const)(
    "%s that cannot be read is reported as such, not as 'no model artifacts' nor as an incomplete run",
    async ([, folder], context) => {
      const hub = new FakeHub();
      const url = await servedHub(hub);
      const home = await testdir();
      const tmp = await testdir();
      const models = await testdir();
      await writeMlxRun(models, OLDER, { seed: 9 });
      const run = await writeMlxRun(models, RUN, { extra: { "logs/train.log": "step 1: loss 2.1\n" } });
      // root reads any folder: then the CLI runs as nobody, for whom the folder is unreadable. nobody may
      // not be able to enter the clone (a private folder), so it runs a copy of the CLI it can read.
      const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
      const runner = user === undefined ? undefined : await cliForUser(user);
      if (runner !== undefined && "skip" in runner) {
        context.skip(`needs another user to make a folder unreadable to the CLI, but ${runner.skip}`);
        return;
      }
      if (user !== undefined) {
        for (const dir of [home, tmp, models]) {
          await chownTree(dir, user.uid, user.gid);
        }
      }

      await chmod(path.join(run, folder), 0o000);
      const result = await spawnCli(
        ["--model-dir", models],
        { HOME: home, TMPDIR: tmp, HF_ENDPOINT: url, HF_TOKEN: DEFAULT_TOKEN },
        { deadlineMs: 60_000, ...(user === undefined || runner === undefined ? {} : { user, bin: runner.bin }) },
      ).result.finally(() => chmod(path.join(run, folder), 0o755));

      expect(result.exitCode, result.stderr).toBe(3);
      expect(result.stderr.trimEnd().split("\n")).toEqual([
        `Error: Run ${RUN} failed validation (1 problem) — Fix the files listed, or choose another run with --run NAME (see --list-runs)`,
        `  - ${folder}: cannot read this folder (EACCES); check its permissions`,
      ]);
      expect(result.stderr).not.toMatch(/no model artifacts|incomplete|Skipped/);
      expect(hub.requests).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
    },
  );

  it("a staging folder and lock left by a killed run are removed by the next run; a live run's folder is kept", async () => {
    let held = false;
    const hub = new FakeHub({
      intercept: (request) => {
        // The run's content on its way to storage (Xet, which the Hub offers; or an LFS PUT).
        const storing = request.method === "PUT" || new URL(request.url).pathname.startsWith("/__xet/v1/xorbs/");
        if (!held && storing) {
          held = true;
          return stallResponse(request);
        }
        return undefined;
      },
    });
    const url = await servedHub(hub);
    const home = await testdir();
    const tmp = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const env = { HOME: home, TMPDIR: tmp, HF_ENDPOINT: url, HF_TOKEN: DEFAULT_TOKEN };
    // Another upload still running on this machine: its staging folder must survive.
    const live = spawn("sleep", ["120"], { stdio: "ignore" });
    onTestFinished(() => void live.kill("SIGKILL"));
    const liveDir = await createOwnedStagingDir(tmp, { pid: live.pid ?? 0 });
    await writeFile(path.join(liveDir, "adapter_model.safetensors"), "in use");

    let killed = false;
    const first = spawnCli(["--model-dir", models], env, { deadlineMs: 60_000 });
    const poll = setInterval(() => {
      if (!killed && held) {
        killed = true;
        first.kill("SIGKILL");
      }
    }, 20);
    onTestFinished(() => clearInterval(poll));
    const crashed = await first.result;
    expect(crashed.signal).toBe("SIGKILL");
    const leftBehind = (await readdir(tmp)).filter((name) => path.join(tmp, name) !== liveDir);
    expect(leftBehind).toEqual([expect.stringMatching(/^process-artifacts-staging-\d+-/)]);
    const locks = path.join(home, ".cache", "process-artifacts", "locks");
    expect(await readdir(locks)).toHaveLength(1);

    const second = await spawnCli(["--model-dir", models, "--verbose"], env, { deadlineMs: 60_000 }).result;

    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain(
      `Removed a staging folder left by an interrupted run: ${path.join(tmp, leftBehind[0] ?? "")}`,
    );
    expect(second.stderr).toMatch(/^Warning: Removed a stale lock left by pid \d+ on .+$/m);
    expect(await readdir(tmp)).toEqual([path.basename(liveDir)]);
    expect((await stat(path.join(liveDir, "adapter_model.safetensors"))).size).toBe(6);
    expect(await readdir(locks)).toEqual([]);
    expect(commitsAfterInitial(hub.repo("model", REPO))).toHaveLength(1);
  });
});
