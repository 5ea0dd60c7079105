import { randomBytes } from "node:crypto";
import { readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { isStorageUpload, storageUploads } from "../helpers/storage-uploads.js";

const REPO = `alice/${RUN}`;

describe("incremental re-runs", () => {
  it("an unchanged re-run sends no bytes, makes no commit and hashes nothing", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });

    const first = await runCli(["--model-dir", models], { home });
    expect(first.exitCode).toBe(0);
    const requestsBefore = hub.requests.length;

    const second = await runCli(["--model-dir", models, "--verbose"], { home });

    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`✅ Already up to date: https://hub.test/${REPO}`);
    expect(second.stdout).toContain("nothing was sent and no commit was made");
    const rerun = hub.requests.slice(requestsBefore);
    expect(rerun.filter(isStorageUpload)).toEqual([]);
    expect(rerun.find((r) => r.path === "/api/repos/create")?.status).toBe(409);
    // Three round trips: the token's owner; the repo's creation (a repo named after the run is created
    // first, refused with 409 as it exists) with the card check; then the head and the tree together.
    expect(rerun.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        "GET /api/whoami-v2",
        "POST /api/repos/create",
        `GET /api/models/${REPO}/revision/main`,
        `GET /api/models/${REPO}/tree/main`,
        "POST /api/validate-yaml",
      ].sort(),
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
    expect(second.stderr).not.toContain("Hashing");
    const third = await runCli(["--model-dir", models, "--json"], { home });
    expect(third.exitCode).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ status: "unchanged" });
  });

  it("re-sends only the changed file, in a commit on top of the previous one", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, {
      extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024), "notes.txt": "v1\n" },
    });
    expect((await runCli(["--model-dir", models], { home })).exitCode).toBe(0);
    // Sent to storage: LFS PUTs, or Xet xorbs and shards (the Hub offers Xet, so the run goes that way).
    const before = storageUploads(hub.requests);

    await writeFile(path.join(run, "notes.txt"), "v2, changed\n");
    const second = await runCli(["--model-dir", models], { home });

    expect(second.exitCode).toBe(0);
    // The model card lists file sizes, so it changes with notes.txt.
    expect(second.stdout).toContain("2 of 8 files changed (README.md, notes.txt)");
    const commits = commitsAfterInitial(hub.repos.get(REPO));
    expect(commits).toHaveLength(2);
    expect(commits[1]?.operations).toEqual([
      { key: "file", path: "README.md" },
      { key: "file", path: "notes.txt" },
    ]);
    expect(commits[1]?.parent).toBe(commits[0]?.oid);
    // Declared by the client, not inferred by the emulator: without it the Hub could not refuse an interleaved commit.
    expect(commits[1]?.declaredParent).toBe(commits[0]?.oid);
    expect(storageUploads(hub.requests)).toEqual(before);
    expect(before.bytes).toBeGreaterThan(12 * 1024 * 1024);
    expect((await hub.fileContent(REPO, "notes.txt")).toString()).toBe("v2, changed\n");
  });

  it("a touched file (same bytes, new mtime) misses the cache, is hashed once, and still is not re-sent", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });
    expect((await runCli(["--model-dir", models], { home })).exitCode).toBe(0);

    const future = new Date(Date.now() + 60_000);
    await utimes(path.join(run, "fused", "model.bin"), future, future);
    const touched = await runCli(["--model-dir", models, "--verbose"], { home });
    const again = await runCli(["--model-dir", models, "--verbose"], { home });

    expect(touched.exitCode).toBe(0);
    expect(again.exitCode).toBe(0);
    expect(touched.stdout).toContain("Already up to date");
    expect(touched.stderr).toContain("Hashing");
    expect(again.stderr).not.toContain("Hashing");
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
  });

  it("large files the repo holds in the same size are hashed, and only the one whose bytes changed is re-sent", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, {
      extra: { "fused/a.bin": randomBytes(3 * 1024 * 1024), "fused/b.bin": randomBytes(3 * 1024 * 1024) },
    });
    expect((await runCli(["--model-dir", models], { home })).exitCode).toBe(0);
    const changed = randomBytes(3 * 1024 * 1024);
    await writeFile(path.join(run, "fused", "b.bin"), changed);
    // A touch too: neither file is vouched for by the cache, so both must be hashed to be compared.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(run, "fused", "a.bin"), later, later);

    const second = await runCli(["--model-dir", models, "--verbose"], { home });

    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain("Hashing");
    expect(second.stderr).toContain(`Unchanged on the Hub, not sent: ${REPO}/fused/a.bin`);
    const commits = commitsAfterInitial(hub.repos.get(REPO));
    expect(commits).toHaveLength(2);
    expect(commits[1]?.operations.map((operation) => operation.path)).toContain("fused/b.bin");
    expect(commits[1]?.operations.map((operation) => operation.path)).not.toContain("fused/a.bin");
    // Compared as one boolean: a deep equality of 3 MiB walks it byte by byte.
    expect((await hub.fileContent(REPO, "fused/b.bin")).equals(changed)).toBe(true);
  });

  it("a changed MLX adapter is re-converted and both its forms are re-sent", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN, { seed: 1 });
    expect((await runCli(["--model-dir", models], { home })).exitCode).toBe(0);
    const firstPeft = await hub.fileContent(REPO, "adapter_model.safetensors");

    await writeMlxRun(models, RUN, { seed: 2 });
    const second = await runCli(["--model-dir", models], { home });

    expect(second.exitCode).toBe(0);
    const sent = commitsAfterInitial(hub.repos.get(REPO))[1]
      ?.operations.map((op) => op.path)
      .sort();
    expect(sent).toEqual(["adapter_model.safetensors", "mlx/adapters.safetensors"]);
    expect(await hub.fileContent(REPO, "adapter_model.safetensors")).not.toEqual(firstPeft);
  });

  it("keeps its hash cache in XDG_CACHE_HOME, written only by real uploads", async () => {
    useFakeHub();
    const home = await testdir();
    const cache = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const dryRun = await runCli(["--model-dir", models, "--dry-run"], { home, env: { XDG_CACHE_HOME: cache } });
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    await expect(readFile(path.join(cache, "process-artifacts", "hashes.json"))).rejects.toThrow(/ENOENT/);
    const upload = await runCli(["--model-dir", models], { home, env: { XDG_CACHE_HOME: cache } });
    expect(upload.exitCode, upload.stderr).toBe(0);
    const stored = JSON.parse(await readFile(path.join(cache, "process-artifacts", "hashes.json"), "utf8")) as {
      entries: Record<string, unknown>;
    };
    expect(Object.keys(stored.entries).some((key) => key.startsWith("convert:"))).toBe(true);
    expect(
      Object.keys(stored.entries).some((key) => key.endsWith(path.join(RUN, "adapters", "adapters.safetensors"))),
    ).toBe(true);
  });
});
