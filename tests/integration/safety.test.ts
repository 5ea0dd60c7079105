import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const REPO = `alice/${RUN}`;
const FAKE_HF = `hf_${"A1b2C3d4E5".repeat(4)}`;

describe("secret safety", () => {
  it("blocks the upload on credentials in text files, naming file and line with the secret masked", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, {
      extra: {
        "notes.md": `# notes\n\nlogin with ${FAKE_HF} then train\n`,
        "scripts/train.py": 'AWS_KEY = "AKIAABCDEFGHIJKLMNOP"\n',
        "keys/id.txt": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
        ".env": "WANDB_API_KEY=whatever\n",
      },
    });
    const before = await hashTree(run);

    const result = await runCli(["--model-dir", models, "--verbose"]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("(4 problems)");
    expect(result.stderr).toContain("- notes.md: line 3: Hugging Face token (hf_A1b…)");
    expect(result.stderr).toContain("- scripts/train.py: line 1: AWS access key id (AKIAAB…)");
    expect(result.stderr).toContain("- keys/id.txt: line 1: private key");
    expect(result.stderr).toContain("- .env: is an environment file");
    expect(result.stderr).not.toContain(FAKE_HF);
    expect(result.stdout).not.toContain(FAKE_HF);
    expect(seen).toEqual([]);
    expect(await hashTree(run)).toEqual(before);
  });
});

describe("path safety", () => {
  it("follows a symlinked folder inside the run once, uploading its files under the link's name", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { extra: { "real/eval.txt": "ok\n" } });
    await symlink(path.join(run, "real"), path.join(run, "linked"));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect((await hub.fileContent(REPO, "linked/eval.txt")).toString()).toBe("ok\n");
    expect((await hub.fileContent(REPO, "real/eval.txt")).toString()).toBe("ok\n");
  });

  it("refuses link loops, nested links in linked folders, and links out of the run", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const outside = await testdir({ "secret.txt": "x" });
    const run = await writeMlxRun(models, RUN, { extra: { "a/b/file.txt": "x" } });
    await symlink(path.join(run, "a"), path.join(run, "a", "b", "loop"));
    await mkdir(path.join(run, "shared"));
    await symlink(path.join(run, "a"), path.join(run, "shared", "again"));
    await symlink(path.join(run, "shared"), path.join(run, "via"));
    await symlink(outside, path.join(run, "outside"));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("- a/b/loop: symbolic link loop");
    expect(result.stderr).toContain("- via/again: symbolic link inside a linked folder; links are followed only once");
    expect(result.stderr).toMatch(/- outside: symbolic link points outside the run/);
    expect(seen).toEqual([]);
  });

  it("refuses file names with control characters or backslashes", async () => {
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    await writeFile(path.join(run, "bad\u0007name.txt"), "x");
    await writeFile(path.join(run, "win\\style.txt"), "x");

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("- bad\\u0007name.txt: file name contains a control character");
    expect(result.stderr).toContain("- win\\\\style.txt: file name contains a backslash");
  });
});

describe("concurrency", () => {
  it("two uploads of the same run on one machine cannot both publish", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hub = useFakeHub({
      intercept: async (request) => {
        if (new URL(request.url).pathname.endsWith("/commit/main")) {
          await gate;
        }
        return undefined;
      },
    });
    const home = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const first = runCli(["--model-dir", models], { home });
    while (hub.count("POST", /\/preupload\//) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const second = await runCli(["--model-dir", models], { home });
    release();
    const firstResult = await first;

    expect(firstResult.exitCode).toBe(0);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(
      /^Error: Another process-artifacts \(pid \d+ on .+\) is uploading this run — Wait for it to finish; if that process is gone, delete .*\.lock\n$/,
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
    expect(await readdir(path.join(home, ".cache", "process-artifacts", "locks"))).toEqual([]);
  });

  it("takes over a stale lock left by a process that is gone", async () => {
    useFakeHub();
    const home = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const first = await runCli(["--model-dir", models, "--dry-run"], { home });
    expect(first.exitCode).toBe(0);
    const locks = path.join(home, ".cache", "process-artifacts", "locks");
    await mkdir(locks, { recursive: true });
    const { createHash } = await import("node:crypto");
    const { realpath } = await import("node:fs/promises");
    const name = `${createHash("sha1")
      .update(await realpath(path.join(models, RUN)))
      .digest("hex")}.lock`;
    const os = await import("node:os");
    await writeFile(
      path.join(locks, name),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: "2025-01-01T00:00:00Z", run: "x" }),
    );

    const result = await runCli(["--model-dir", models], { home });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("Warning: Removed a stale lock left by pid");
    expect(await readdir(locks)).toEqual([]);
  });

  it("across machines, the Hub refuses a commit on top of a head that moved (no interleaving)", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holdNext = false;
    let held = false;
    const hub = useFakeHub({
      intercept: async (request) => {
        if (new URL(request.url).pathname.endsWith("/commit/main") && holdNext) {
          holdNext = false;
          held = true;
          await gate;
        }
        return undefined;
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);
    expect((await runCli(["--model-dir", models, "--run", RUN])).exitCode).toBe(0);
    await writeFile(path.join(models, RUN, "notes.txt"), "machine A\n");
    holdNext = true;

    // Two "machines" (separate HOMEs, so separate locks) both see the same head, then both commit.
    const machineA = runCli(["--model-dir", models]);
    while (!held) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await writeFile(path.join(models, RUN, "notes.txt"), "machine B\n");
    const machineB = await runCli(["--model-dir", models]);
    release();
    const resultA = await machineA;

    expect(machineB.exitCode).toBe(0);
    expect(resultA.exitCode).toBe(1);
    expect(resultA.stderr).toContain("The repo changed while uploading");
    expect(resultA.stderr).toContain("run again to upload on top of their commit");
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(2);
  });
});

describe("token masking", () => {
  it("masks the token even when the Hub echoes it back in an error, with --verbose", async () => {
    const token = "hf_fake_echoed_back_by_the_server";
    useFakeHub({
      users: { [token]: { name: "alice" } },
      intercept: (request) =>
        new URL(request.url).pathname === "/api/whoami-v2"
          ? new Response(
              JSON.stringify({ error: `Token ${request.headers.get("authorization") ?? ""} is not allowed here` }),
              {
                status: 403,
                headers: { "content-type": "application/json" },
              },
            )
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models, "--verbose", "--json"], { env: { HF_TOKEN: token } });

    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain("Token Bearer hf_*** is not allowed here");
    expect(result.stderr).toContain("Cause:");
    expect(`${result.stdout}${result.stderr}`).not.toContain(token);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "error", exitCode: 5 });
  });
});
