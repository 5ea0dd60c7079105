import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN } from "../../emulator/fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli, TEST_HUB } from "../helpers/run-cli.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";

const STABLE = "olmo-org/webauthn-security-model";
/** Folder names git (and so the Hub) refuses as tag names, each for another of git's rules. */
const REFUSED: Array<[string, string]> = [
  ["run with spaces", "it contains a space"],
  ["a..b", 'it contains ".."'],
  ["x~1", 'it contains "~"'],
  ["x^2", 'it contains "^"'],
  ["x:3", 'it contains ":"'],
  ["x.lock", 'it ends with ".lock"'],
  ["a@{b}", 'it contains "@{"'],
];

describe("a stable repo's tag is the run's name: names git refuses are refused before anything is sent", () => {
  it.each(REFUSED)("%j: exit 2, one line naming the rule, no request, no commit", async (name, problem) => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, name);

    const result = await runCli(["--model-dir", models, "--run", name, "--repo", STABLE]);

    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `Error: The run folder name "${name}" cannot be the tag of its commit in ${STABLE}: ${problem} (git's rules for tag names) — Rename the run folder (letters, digits, '-', '_' and '.' are safe), or publish it to a repo of its own without --repo`,
    ]);
    expect(hub.requests).toEqual([]);
    expect(hub.repos.get(STABLE)).toBeUndefined();
  });

  it("--json of such a run is an error result with exit code 2, and --dry-run refuses it too", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, "x.lock");

    const json = await runCli(["--model-dir", models, "--run", "x.lock", "--repo", STABLE, "--json"]);
    const dry = await runCli(["--model-dir", models, "--run", "x.lock", "--repo", STABLE, "--dry-run"]);

    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "error", exitCode: 2, error: { type: "UsageError" } });
    expect(dry.exitCode).toBe(2);
  });

  it("a repo per run is unaffected: the name becomes a valid repo name, and no tag is made", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, "run with spaces");

    const result = await runCli(["--model-dir", models, "--run", "run with spaces"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(commitsAfterInitial(hub.repos.get("alice/run-with-spaces"))).toHaveLength(1);
    expect(hub.repos.get("alice/run-with-spaces")?.tags.size).toBe(0);
  });

  it("with --create-pr no tag is made, so the name is no obstacle", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const earlier = "webauthn-security-sequential_20251001_100000";
    await writeMlxRun(models, earlier, { seed: 1 });
    await writeMlxRun(models, "a..b", { seed: 2 });
    expect((await runCli(["--model-dir", models, "--run", earlier, "--repo", STABLE])).exitCode).toBe(0);

    const result = await runCli(["--model-dir", models, "--run", "a..b", "--repo", STABLE, "--create-pr"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.repos.get(STABLE)?.pullRequests.size).toBe(1);
    expect([...(hub.repos.get(STABLE)?.tags.keys() ?? [])]).toEqual([earlier]);
  });
});

describe("a run's commit is never left without its tag", () => {
  it("a tag the Hub refuses after the commit landed: the error names the commit; a re-run tags it, no second commit", async () => {
    let refuseTags = true;
    const hub = useFakeHub({
      intercept: (request) =>
        refuseTags &&
        request.method === "POST" &&
        new URL(request.url).pathname.startsWith(`/api/models/${STABLE}/tag/`)
          ? new Response(JSON.stringify({ error: "tags are read-only right now" }), {
              status: 403,
              headers: { "content-type": "application/json" },
            })
          : undefined,
    });
    const models = await testdir();
    const run = "webauthn-security-sequential_20251001_100000";
    await writeMlxRun(models, run);
    const home = await testdir();

    const first = await runCli(["--model-dir", models, "--repo", STABLE, "--no-datasets"], { home });
    const landed = hub.repos.get(STABLE)?.commits.at(-1)?.oid;
    refuseTags = false;
    const second = await runCli(["--model-dir", models, "--repo", STABLE, "--no-datasets"], { home });

    expect(first.exitCode).not.toBe(0);
    expect(landed).toBeDefined();
    expect(first.stderr).toContain(`${STABLE} got the commit ${landed ?? ""} for ${run}, but tagging it ${run} failed`);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(commitsAfterInitial(hub.repos.get(STABLE))).toHaveLength(1);
    expect(hub.repos.get(STABLE)?.tags.get(run)?.commit).toBe(landed);
  });
});

describe("the emulator's tag route follows git's rules, as the Hub does", () => {
  it.each([...REFUSED.map(([name]) => name), "refs/tags/v1"])("refuses %j with 400", async (tag) => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20251001_100000");
    expect((await runCli(["--model-dir", models, "--no-datasets"])).exitCode).toBe(0);
    const repo = "alice/webauthn-security-sequential_20251001_100000";

    const answer = await fetch(`${TEST_HUB}/api/models/${repo}/tag/main`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ tag }),
    });

    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(/^Invalid tag name: /);
    expect(hub.repos.get(repo)?.tags.size).toBe(0);
  });

  it.each(["v1.0", "über-run", "run+1", "a/b"])("accepts %j", async (tag) => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20251001_100000");
    expect((await runCli(["--model-dir", models, "--no-datasets"])).exitCode).toBe(0);
    const repo = "alice/webauthn-security-sequential_20251001_100000";

    const answer = await fetch(`${TEST_HUB}/api/models/${repo}/tag/main`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ tag }),
    });

    expect(answer.status).toBe(200);
    expect([...(hub.repos.get(repo)?.tags.keys() ?? [])]).toEqual([tag]);
  });
});
