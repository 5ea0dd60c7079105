import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { writeStagedRun } from "../helpers/make-staged-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const A = "webauthn-security-sequential_20251001_100000";
const B = "webauthn-security-sequential_20251002_100000";
const C = "webauthn-security-sequential_20251003_100000";
const STABLE = "olmo-org/webauthn-security-model";

async function threeRuns(models: string): Promise<void> {
  await writeMlxRun(models, A, { seed: 1, extra: { "notes/a-only.txt": "only in run A\n" } });
  await writeMlxRun(models, B, { seed: 2 });
  await writeMlxRun(models, C, { seed: 3, extra: { "notes/c.txt": "run C\n" } });
}

interface Backlog {
  runs: Array<{
    run: string;
    status: string;
    repoId?: string;
    url?: string;
    commit?: string;
    error?: string;
    tag?: string;
  }>;
}

describe("--all: publishing a backlog of runs", () => {
  it("publishes the runs that are missing, oldest first, reports the published one unchanged, and a second --all commits nothing", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    const home = await testdir();
    expect((await runCli(["--model-dir", models, "--run", B], { home })).exitCode).toBe(0);

    const first = await runCli(["--model-dir", models, "--all", "--json"], { home });
    const second = await runCli(["--model-dir", models, "--all"], { home });

    expect(first.exitCode, first.stderr).toBe(0);
    const backlog = JSON.parse(first.stdout) as Backlog;
    expect(backlog.runs.map(({ run, status, repoId }) => ({ run, status, repoId }))).toEqual([
      { run: A, status: "uploaded", repoId: `alice/${A}` },
      { run: B, status: "unchanged", repoId: `alice/${B}` },
      { run: C, status: "uploaded", repoId: `alice/${C}` },
    ]);
    expect(backlog.runs[0]?.commit).toBe(commitsAfterInitial(hub.repos.get(`alice/${A}`))[0]?.oid);
    expect(first.stderr).toContain(`[1/3] ${A}: uploaded`);
    expect(first.stderr).toContain(`[2/3] ${B}: unchanged`);
    // Each repo is created once; a run whose repo exists is refused its creation (409), which changes nothing.
    const creates = hub.requests.filter((request) => request.path === "/api/repos/create");
    expect(creates.filter((request) => request.status === 200)).toHaveLength(3);
    expect(creates.filter((request) => request.status !== 200 && request.status !== 409)).toEqual([]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`${A}\\s+unchanged`));
    expect(second.stdout).toContain("3 run(s): none failed");
    for (const run of [A, B, C]) {
      expect(commitsAfterInitial(hub.repos.get(`alice/${run}`))).toHaveLength(1);
    }
  });

  it("one failing run does not stop the others; the summary names it and the exit code is 1", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        request.method === "POST" && new URL(request.url).pathname === `/api/models/alice/${B}/commit/main`
          ? new Response(JSON.stringify({ error: "This repository is locked by an administrator" }), {
              status: 403,
              headers: { "content-type": "application/json" },
            })
          : undefined,
    });
    const models = await testdir();
    await threeRuns(models);

    const result = await runCli(["--model-dir", models, "--all"]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${A}\\s+uploaded`));
    expect(result.stdout).toMatch(new RegExp(`${B}\\s+failed\\s+-\\s+.*locked by an administrator`));
    expect(result.stdout).toMatch(new RegExp(`${C}\\s+uploaded`));
    expect(result.stdout).toContain("1 of 3 run(s) failed");
    expect(commitsAfterInitial(hub.repos.get(`alice/${C}`))).toHaveLength(1);
  });

  it("--since limits the backlog; incomplete runs are listed, not failed", async () => {
    useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    await writeStagedRun(models, "webauthn-security-sequential-20251004_100000", { stage2Training: true });

    const result = await runCli(["--model-dir", models, "--all", "--since", "20251002", "--json", "--no-datasets"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Backlog).runs.map(({ run, status }) => [run, status])).toEqual([
      [B, "uploaded"],
      [C, "uploaded"],
      ["webauthn-security-sequential-20251004_100000", "incomplete"],
    ]);
  });

  it("--dry-run --all plans every run and says which are published already, sending nothing", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    const home = await testdir();
    expect((await runCli(["--model-dir", models, "--run", B], { home })).exitCode).toBe(0);
    const commits = commitsAfterInitial(hub.repos.get(`alice/${B}`)).length;
    const before = hub.requests.length;

    const result = await runCli(["--model-dir", models, "--all", "--dry-run"], { home });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${A}\\s+dry-run \\(pending\\)`));
    expect(result.stdout).toMatch(new RegExp(`${B}\\s+dry-run \\(published\\)`));
    expect(result.stdout).toMatch(new RegExp(`${C}\\s+dry-run \\(pending\\)`));
    expect(hub.repos.size).toBe(1);
    expect(commitsAfterInitial(hub.repos.get(`alice/${B}`)).length).toBe(commits);
    // It only looked: every request of the dry run is a read.
    const looked = hub.requests.slice(before).map((request) => request.method);
    expect(looked.length).toBeGreaterThan(0);
    expect(looked.filter((method) => method !== "GET")).toEqual([]);
  });

  it("under a test runner against the production Hub, every run is blocked, with no request", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await threeRuns(models);

    const result = await runCli(["--model-dir", models, "--all", "--json"], {
      env: { HF_ENDPOINT: undefined, VITEST: "true" },
    });

    expect(result.exitCode, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Backlog).runs.map((entry) => [entry.status, entry.url])).toEqual([
      ["blocked", `https://huggingface.co/test-blocked/${A}`],
      ["blocked", `https://huggingface.co/test-blocked/${B}`],
      ["blocked", `https://huggingface.co/test-blocked/${C}`],
    ]);
    expect(seen).toEqual([]);
  });
});

describe("--repo: one stable repo, a tag per run", () => {
  it("main holds exactly the newest run, every run has its tag, and a second --all makes no commit", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    const home = await testdir();

    const first = await runCli(["--model-dir", models, "--all", "--repo", STABLE], { home });
    const second = await runCli(["--model-dir", models, "--all", "--repo", STABLE, "--json"], { home });

    expect(first.exitCode, first.stderr).toBe(0);
    const repo = hub.repos.get(STABLE);
    const commits = commitsAfterInitial(repo);
    expect(commits).toHaveLength(3);
    expect([...(repo?.tags.keys() ?? [])].sort()).toEqual([A, B, C]);
    expect(repo?.tags.get(A)?.commit).toBe(commits[0]?.oid);
    expect(repo?.tags.get(C)?.commit).toBe(commits[2]?.oid);
    // Run A's extra file was deleted by run B's commit; main now holds run C only (and the Hub's .gitattributes).
    expect(commits[1]?.operations).toContainEqual({ key: "deletedFile", path: "notes/a-only.txt" });
    expect(repo?.files.has(".gitattributes")).toBe(true);
    expect(repo?.files.has("notes/a-only.txt")).toBe(false);
    expect(repo?.files.has("notes/c.txt")).toBe(true);
    expect((await hub.fileContent(STABLE, "notes/a-only.txt", A)).toString()).toBe("only in run A\n");
    const card = (await hub.fileContent(STABLE, "README.md")).toString();
    expect(card).toContain(`this one is \`${C}\``);
    expect(card).toContain(`[\`${A}\`](https://huggingface.co/${STABLE}/tree/${A})`);
    expect(second.exitCode, second.stderr).toBe(0);
    expect((JSON.parse(second.stdout) as Backlog).runs.map((entry) => entry.status)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    expect(commitsAfterInitial(repo)).toHaveLength(3);
  });

  it("refuses to move a tag: an existing tag with different content is exit 1, and nothing is committed", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    expect((await runCli(["--model-dir", models, "--run", A, "--repo", STABLE])).exitCode).toBe(0);
    await writeFile(path.join(models, A, "notes", "a-only.txt"), "edited after publishing\n");

    const result = await runCli(["--model-dir", models, "--run", A, "--repo", STABLE]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `Error: ${STABLE} already has a tag ${A} with different content (notes/a-only.txt); a tag is never moved`,
    );
    expect(commitsAfterInitial(hub.repos.get(STABLE))).toHaveLength(1);
  });

  it("--keep-remote-files keeps an earlier run's files", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);

    const result = await runCli(["--model-dir", models, "--all", "--repo", STABLE, "--keep-remote-files"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.repos.get(STABLE)?.files.has("notes/a-only.txt")).toBe(true);
  });

  it("the dataset follows into one stable dataset repo with the same tags", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, "webauthn-security-sequential-20251014_090000", { seed: 5 });
    await writeStagedRun(models, "webauthn-security-sequential-20251015_120000", { seed: 6 });

    const result = await runCli(["--model-dir", models, "--all", "--repo", STABLE]);

    expect(result.exitCode, result.stderr).toBe(0);
    const dataset = hub.repos.get(`datasets/${STABLE}-training-data`);
    expect([...(dataset?.tags.keys() ?? [])].sort()).toEqual([
      "webauthn-security-sequential-20251014_090000",
      "webauthn-security-sequential-20251015_120000",
    ]);
    // The same splits twice: the second run's dataset commit changes only its card, or nothing.
    expect(commitsAfterInitial(dataset).length).toBeGreaterThanOrEqual(1);
  });
});

describe("branches, pull requests and access", () => {
  it("--revision commits to a branch, created from main when missing; main is unchanged", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    expect((await runCli(["--model-dir", models, "--run", A, "--repo", STABLE])).exitCode).toBe(0);
    const mainHead = hub.repos.get(STABLE)?.branches.get("main");

    const result = await runCli(["--model-dir", models, "--run", B, "--repo", STABLE, "--revision", "experiments"]);

    expect(result.exitCode, result.stderr).toBe(0);
    const repo = hub.repos.get(STABLE);
    expect(repo?.branches.get("main")).toBe(mainHead);
    const branchHead = repo?.branches.get("experiments");
    expect(branchHead).toBeDefined();
    expect(repo?.findCommit(branchHead ?? "")?.parent).toBe(mainHead);
    expect(repo?.tags.get(B)?.commit).toBe(branchHead);
    expect(result.stdout).toContain("(branch experiments)");
  });

  it("--create-pr opens a pull request with the upload and leaves the branch unchanged", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    const home = await testdir();
    expect((await runCli(["--model-dir", models, "--run", A], { home })).exitCode).toBe(0);
    await writeFile(path.join(models, A, "notes", "a-only.txt"), "a proposed change\n");
    const mainHead = hub.repos.get(`alice/${A}`)?.branches.get("main");

    const result = await runCli(["--model-dir", models, "--run", A, "--create-pr"], { home });

    expect(result.exitCode, result.stderr).toBe(0);
    const repo = hub.repos.get(`alice/${A}`);
    expect(repo?.branches.get("main")).toBe(mainHead);
    expect(repo?.pullRequests.size).toBe(1);
    expect(result.stdout).toMatch(/✅ Pull request opened: https:\/\/hub\.test\/alice\/.*\/discussions\/1/);
    expect(result.stdout).toContain("main of alice/");
  });

  it("--gated applies to repos the tool creates; an existing repo whose access differs gets a warning, or the change with --update-settings", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await threeRuns(models);
    const existing = hub.addRepo({ id: `alice/${B}`, private: false });

    const gated = await runCli(["--model-dir", models, "--run", A, "--gated", "manual", "--private"]);
    const warned = await runCli(["--model-dir", models, "--run", B, "--private"]);
    const changed = await runCli(["--model-dir", models, "--run", B, "--private", "--update-settings"]);

    expect(gated.exitCode, gated.stderr).toBe(0);
    expect(hub.repos.get(`alice/${A}`)?.gated).toBe("manual");
    expect(hub.repos.get(`alice/${A}`)?.private).toBe(true);
    expect(warned.exitCode, warned.stderr).toBe(0);
    expect(warned.stderr).toContain(
      `Warning: alice/${B} is public but private is asked for; left as it is (pass --update-settings to change it)`,
    );
    expect(changed.exitCode, changed.stderr).toBe(0);
    expect(changed.stderr).toContain(`alice/${B} is public but private is asked for: changed (--update-settings)`);
    expect(existing.private).toBe(true);
  });
});
