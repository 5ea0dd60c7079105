import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { DEFAULT_SPLITS } from "../helpers/make-staged-run.js";
import { DEFAULT_TOKEN, runCli, TEST_HUB } from "../helpers/run-cli.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";

const A = "webauthn-security-sequential_20251001_100000";
const B = "webauthn-security-sequential_20251002_100000";
const STABLE = "olmo-org/webauthn-security-model";
const STABLE_DATA = `${STABLE}-training-data`;

/** A flat MLX run with training data (so a dataset repo follows) and `extra` files. */
async function run(models: string, name: string, seed: number, extra: Record<string, string> = {}): Promise<void> {
  const splits = Object.entries(DEFAULT_SPLITS).map(([file, text]) => [`training-data/${file}`, text] as const);
  await writeMlxRun(models, name, { seed, extra: { ...Object.fromEntries(splits), ...extra } });
}

/** A commit made by hand on the Hub (not by the tool: no trailers), as a person would add files. */
async function commitByHand(type: "model" | "dataset", id: string, files: Record<string, string>): Promise<void> {
  const lines = [
    { key: "header", value: { summary: "Add notes by hand", description: "" } },
    ...Object.entries(files).map(([file, text]) => ({
      key: "file",
      value: { path: file, content: Buffer.from(text).toString("base64"), encoding: "base64" },
    })),
  ];
  const response = await fetch(`${TEST_HUB}/api/${type}s/${id}/commit/main`, {
    method: "POST",
    headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, "content-type": "application/x-ndjson" },
    body: `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`,
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe("revisions, as the Hub reads them (a slash only percent-encoded)", () => {
  it("--revision with a slash into --repo creates the branch from main in both repos and publishes there; main is unchanged", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await run(models, A, 1);
    await run(models, B, 2);
    expect((await runCli(["--model-dir", models, "--run", A, "--repo", STABLE])).exitCode).toBe(0);
    const model = hub.repos.get(STABLE);
    const dataset = hub.repos.get(`datasets/${STABLE_DATA}`);
    const mainHeads = [model?.branches.get("main"), dataset?.branches.get("main")];

    const result = await runCli(["--model-dir", models, "--run", B, "--repo", STABLE, "--revision", "feature/x"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect([model?.branches.get("main"), dataset?.branches.get("main")]).toEqual(mainHeads);
    const heads = [model?.branches.get("feature/x"), dataset?.branches.get("feature/x")];
    expect(
      heads.map((head) =>
        head === undefined
          ? undefined
          : [model, dataset].find((repo) => repo?.findCommit(head))?.findCommit(head)?.parent,
      ),
    ).toEqual(mainHeads);
    expect(model?.tags.get(B)?.commit).toBe(heads[0]);
    expect(result.stdout).toContain("(branch feature/x)");
    expect(result.stderr).toContain(`Created the branch feature/x of ${STABLE} from main`);
  });

  it("--revision on the run's own repo: a missing branch is created from main, in a new repo and in one holding the run", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await run(models, A, 1);
    await run(models, B, 2);
    const home = await testdir();
    expect((await runCli(["--model-dir", models, "--run", B, "--no-datasets"], { home })).exitCode).toBe(0);
    const mainHead = hub.repos.get(`alice/${B}`)?.branches.get("main");

    const fresh = await runCli(["--model-dir", models, "--run", A, "--revision", "feature/x", "--no-datasets"], {
      home,
    });
    const existing = await runCli(["--model-dir", models, "--run", B, "--revision", "dev", "--no-datasets"], { home });

    expect(fresh.exitCode, fresh.stderr).toBe(0);
    const created = hub.repos.get(`alice/${A}`);
    expect(created?.treeAt(created.branches.get("feature/x")).has("adapter_model.safetensors")).toBe(true);
    expect(existing.exitCode, existing.stderr).toBe(0);
    const repo = hub.repos.get(`alice/${B}`);
    expect(repo?.branches.get("main")).toBe(mainHead);
    // Nothing changed since main's commit: the branch is created at main and nothing is committed.
    expect(repo?.branches.get("dev")).toBe(mainHead);
  });

  it("--create-pr opens one pull request on the model repo and one on the dataset repo, prints both, and a re-run with nothing changed opens none", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await run(models, A, 1, { "notes/a.txt": "first\n" });
    const home = await testdir();
    expect((await runCli(["--model-dir", models, "--run", A], { home })).exitCode).toBe(0);
    await writeFile(path.join(models, A, "notes", "a.txt"), "a proposed change\n");
    await writeFile(
      path.join(models, A, "training-data", "test.jsonl"),
      '{"messages": [{"role": "user", "content": "h"}]}\n',
    );
    const model = hub.repos.get(`alice/${A}`);
    const dataset = hub.repos.get(`datasets/alice/${A}-training-data`);
    const mainHeads = [model?.branches.get("main"), dataset?.branches.get("main")];

    const first = await runCli(["--model-dir", models, "--run", A, "--create-pr"], { home });
    const again = await runCli(["--model-dir", models, "--run", A, "--create-pr", "--json"], { home });

    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `✅ Dataset pull request opened: ${TEST_HUB}/datasets/alice/${A}-training-data/discussions/1`,
    );
    expect(first.stdout).toContain(`✅ Pull request opened: ${TEST_HUB}/alice/${A}/discussions/1`);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: "unchanged",
      pullRequest: { url: `${TEST_HUB}/alice/${A}/discussions/1` },
      dataset: {
        status: "unchanged",
        pullRequest: { url: `${TEST_HUB}/datasets/alice/${A}-training-data/discussions/1` },
      },
    });
    expect([model?.pullRequests.size, dataset?.pullRequests.size]).toEqual([1, 1]);
    expect([model?.branches.get("main"), dataset?.branches.get("main")]).toEqual(mainHeads);
    const proposed = model?.pullRequests.get(1)?.head;
    expect((await hub.fileContent(`alice/${A}`, "notes/a.txt", "refs/pr/1")).toString()).toBe("a proposed change\n");
    expect(proposed).toBeDefined();
  });

  it("--create-pr whose answer is lost: the pull request it opened is found by its nonce and reported, never opened twice", async () => {
    let lost = 0;
    const hub = useFakeHub({
      postprocess: (request, response) => {
        const url = new URL(request.url);
        if (url.pathname.endsWith("/commit/main") && url.searchParams.get("create_pr") === "1" && lost < 2) {
          lost += 1;
          return new Response("bad gateway", { status: 502 });
        }
        return response;
      },
    });
    const models = await testdir();
    await run(models, A, 1);

    const result = await runCli(["--model-dir", models, "--run", A, "--create-pr"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(lost).toBe(2);
    expect(result.stdout).toContain(`✅ Pull request opened: ${TEST_HUB}/alice/${A}/discussions/1`);
    expect(result.stdout).toContain(
      `✅ Dataset pull request opened: ${TEST_HUB}/datasets/alice/${A}-training-data/discussions/1`,
    );
    expect(hub.repos.get(`alice/${A}`)?.pullRequests.size).toBe(1);
    expect(hub.repos.get(`datasets/alice/${A}-training-data`)?.pullRequests.size).toBe(1);
  });

  it("a pull request opened but not proven is still reported (exit 1, its URL in the error), and a re-run reports it open", async () => {
    let failing = true;
    const hub = useFakeHub({
      intercept: (request) =>
        failing && new URL(request.url).pathname === `/api/models/alice/${A}/revision/refs%2Fpr%2F1`
          ? new Response(JSON.stringify({ error: "Internal Error" }), {
              status: 500,
              headers: { "content-type": "application/json" },
            })
          : undefined,
    });
    const models = await testdir();
    await run(models, A, 1);
    const home = await testdir();
    const env = { PROCESS_ARTIFACTS_MAX_RETRIES: "0" };

    const failed = await runCli(["--model-dir", models, "--run", A, "--create-pr", "--json"], { home, env });
    failing = false;
    const again = await runCli(["--model-dir", models, "--run", A, "--create-pr"], { home, env });

    expect(failed.exitCode).toBe(1);
    const error = (JSON.parse(failed.stdout) as { error: { message: string } }).error.message;
    expect(error).toContain(`Opened the pull request ${TEST_HUB}/alice/${A}/discussions/1, but`);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      landed: [
        { url: `${TEST_HUB}/datasets/alice/${A}-training-data/discussions/1` },
        { url: `${TEST_HUB}/alice/${A}/discussions/1` },
      ],
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(`✅ Pull request already open: ${TEST_HUB}/alice/${A}/discussions/1`);
    expect(hub.repos.get(`alice/${A}`)?.pullRequests.size).toBe(1);
  });

  it.each([
    ["the run's own repo", [], `alice/${A}`],
    ["a stable repo", ["--repo", STABLE], STABLE],
  ])("--create-pr on a new repo (%s) opens the pull requests, and a re-run finds them", async (_, flags, id) => {
    const hub = useFakeHub();
    const models = await testdir();
    await run(models, A, 1);
    const home = await testdir();

    const first = await runCli(["--model-dir", models, "--run", A, "--create-pr", ...flags], { home });
    const again = await runCli(["--model-dir", models, "--run", A, "--create-pr", ...flags], { home });

    expect(first.exitCode, first.stderr).toBe(0);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(`✅ Pull request already open: ${TEST_HUB}/${id}/discussions/1`);
    expect(again.stdout).toContain(
      `✅ Dataset pull request already open: ${TEST_HUB}/datasets/${id}-training-data/discussions/1`,
    );
    expect(hub.repos.get(id)?.pullRequests.size).toBe(1);
    expect(hub.repos.get(`datasets/${id}-training-data`)?.pullRequests.size).toBe(1);
  });
});

describe("a stable repo keeps what the tool did not write", () => {
  it("deletes only files an earlier run published; files added or changed by hand stay, in the model and the dataset repo, and the output says so", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await run(models, A, 1, { "notes/a-only.txt": "only in run A\n", "notes/a-edited.txt": "run A\n" });
    await run(models, B, 2);
    expect((await runCli(["--model-dir", models, "--run", A, "--repo", STABLE])).exitCode).toBe(0);
    await commitByHand("model", STABLE, { "notes/by-hand.md": "mine\n", "notes/a-edited.txt": "edited by hand\n" });
    await commitByHand("dataset", STABLE_DATA, { "NOTES.md": "about the data\n" });
    await rm(path.join(models, B, "training-data", "test.jsonl"));

    const result = await runCli(["--model-dir", models, "--run", B, "--repo", STABLE]);
    const again = await runCli(["--model-dir", models, "--run", B, "--repo", STABLE, "--json"]);

    expect(result.exitCode, result.stderr).toBe(0);
    const model = hub.repos.get(STABLE);
    const dataset = hub.repos.get(`datasets/${STABLE_DATA}`);
    expect(model?.files.has("notes/a-only.txt")).toBe(false);
    expect(model?.files.has("notes/by-hand.md")).toBe(true);
    expect(model?.files.has("notes/a-edited.txt")).toBe(true);
    expect(dataset?.files.has("test.jsonl")).toBe(false);
    expect(dataset?.files.has("NOTES.md")).toBe(true);
    expect(result.stdout).toContain("   Removed files an earlier run published: notes/a-only.txt\n");
    expect(result.stdout).toContain("   Kept files the tool did not publish: notes/a-edited.txt, notes/by-hand.md\n");
    expect(result.stdout).toContain("   Removed files an earlier run published: test.jsonl\n");
    expect(result.stdout).toContain("   Kept files the tool did not publish: NOTES.md\n");
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "unchanged", dataset: { status: "unchanged" } });
    expect(commitsAfterInitial(model)).toHaveLength(3);
  });
});

describe("the creation race", () => {
  it("nothing reads a new repo before its creation has answered, however slow the Hub creates it", async () => {
    // What happened, in order: a request for a repo arriving, and a repo's creation answering.
    const seen: string[] = [];
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    const hub = useFakeHub({
      intercept: async (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === "/api/repos/create") {
          await sleep(300);
          return undefined;
        }
        seen.push(`arrived ${pathname}`);
        if (/\/revision\//.test(pathname)) {
          await sleep(600);
        }
        return undefined;
      },
      postprocess: async (request, response) => {
        if (new URL(request.url).pathname === "/api/repos/create") {
          const answer = (await response.clone().json()) as { name?: string; url?: string };
          seen.push(`created ${answer.name ?? answer.url ?? ""} ${response.status}`);
        }
        return response;
      },
    });
    const models = await testdir();
    await run(models, A, 1);

    const result = await runCli(["--model-dir", models, "--run", A]);

    expect(result.exitCode, result.stderr).toBe(0);
    for (const [id, paths] of [
      [`alice/${A}`, [`/api/models/alice/${A}/`, `/alice/${A}/`]],
      [`alice/${A}-training-data`, [`/api/datasets/alice/${A}-training-data/`, `/datasets/alice/${A}-training-data`]],
    ] as const) {
      const created = seen.indexOf(`created ${id} 200`);
      const firstRead = seen.findIndex((entry) => paths.some((prefix) => entry.startsWith(`arrived ${prefix}`)));
      expect(created, seen.join("\n")).toBeGreaterThanOrEqual(0);
      expect(firstRead, seen.join("\n")).toBeGreaterThan(created);
    }
    expect(commitsAfterInitial(hub.repos.get(`alice/${A}`))).toHaveLength(1);
    expect(commitsAfterInitial(hub.repos.get(`datasets/alice/${A}-training-data`))).toHaveLength(1);
  });
});
