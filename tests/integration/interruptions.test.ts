import { open, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { stallResponse } from "../../emulator/misbehaviour/stall-response.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { writeStagedRun } from "../helpers/make-staged-run.js";
import { spawnCli, type SpawnedCliResult } from "../helpers/spawn-cli.js";
import { testdir } from "../helpers/testdir.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const REPO = `alice/${RUN}`;
const BIG = "fused/model.bin";
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** What a test sees of the Hub: the path and method of a request, and a way to say "now". */
interface Stage {
  reach(): void;
}

interface Scene {
  hub: FakeHub;
  home: string;
  tmp: string;
  models: string;
  env: Record<string, string>;
  /** Resolves when the emulator saw the moment the test waits for. */
  reached: Promise<void>;
}

const isPath = (request: Request, method: string, pattern: RegExp): boolean =>
  request.method === method && pattern.test(new URL(request.url).pathname);

/** A sparse file: instant to make, takes no disk, and every byte still has to be read. */
async function sparse(file: string, size: number): Promise<void> {
  const handle = await open(file, "w");
  await handle.truncate(size);
  await handle.close();
}

/** The emulator on 127.0.0.1 (a child process cannot see msw), a run with a large file, fresh HOME and TMPDIR. */
async function scene(params: {
  hub: (stage: Stage) => FakeHubOptions;
  bigFileBytes: number;
  staged?: boolean;
}): Promise<Scene> {
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const hub = new FakeHub({ discardLfsContent: true, ...params.hub({ reach: () => reach() }) });
  const served = await serveFakeHub(hub);
  onTestFinished(() => served.close());
  const home = await testdir();
  const tmp = await testdir();
  const models = await testdir();
  const run = params.staged ? await writeStagedRun(models, RUN) : await writeMlxRun(models, RUN);
  const modelDir = params.staged ? path.join(run, "stage2") : run;
  await import("node:fs/promises").then((fs) => fs.mkdir(path.join(modelDir, "fused"), { recursive: true }));
  await sparse(path.join(modelDir, BIG), params.bigFileBytes);
  return {
    hub,
    home,
    tmp,
    models,
    reached,
    env: {
      HOME: home,
      TMPDIR: tmp,
      HF_ENDPOINT: served.url,
      HF_TOKEN: DEFAULT_TOKEN,
      PROCESS_ARTIFACTS_RETRY_BASE_MS: "1",
    },
  };
}

/** Runs the CLI and sends `signal` once the scene's moment is reached (after `delayMs`). */
async function interrupt(
  s: Scene,
  signal: NodeJS.Signals,
  options: { args?: string[]; delayMs?: number } = {},
): Promise<SpawnedCliResult> {
  const child = spawnCli(["--only-upload", "--model-dir", s.models, ...(options.args ?? [])], s.env);
  void s.reached.then(() => setTimeout(() => child.kill(signal), options.delayMs ?? 0));
  return child.result;
}

/**
 * What every interruption must look like: exit 130 without hanging, exactly one "Error: Interrupted"
 * line and nothing a crash prints, the staging folder and the run lock gone.
 */
async function expectCleanInterruption(result: SpawnedCliResult, s: Scene): Promise<string> {
  expect(result.hung, result.stderr).toBe(false);
  expect(result.exitCode, result.stderr).toBe(130);
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("Error:"));
  expect(errors, result.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(/^Error: Interrupted/);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/unhandled|AbortError|Internal error|unsettled top-level await|exit code 13/i);
  expect(await readdir(s.tmp)).toEqual([]);
  const locks = path.join(s.home, ".cache", "process-artifacts", "locks");
  expect(await readdir(locks).catch(() => [])).toEqual([]);
  return errors[0] ?? "";
}

/** The repo as if an earlier upload had stored a file of `size` bytes at `filePath` (other content). */
function seedRemoteFile(hub: FakeHub, filePath: string, size: number): void {
  const repo = hub.addRepo({ id: REPO });
  const oid = "c".repeat(40);
  repo.allCommits.set(oid, {
    oid,
    title: "An earlier upload",
    description: "",
    // On top of the Hub's initial commit, as every upload to a repo.
    parent: repo.branches.get("main"),
    declaredParent: undefined,
    branch: "main",
    pullRequest: false,
    date: new Date(0).toISOString(),
    author: "alice",
    operations: [{ key: "lfsFile", path: filePath }],
    files: new Map([
      [filePath, { size, gitOid: "d".repeat(40), lfs: { oid: "e".repeat(64), size }, content: undefined }],
    ]),
  });
  repo.branches.set("main", oid);
}

describe.each(SIGNALS)("%s at every phase of an upload: exit 130, one line, nothing left behind", (signal) => {
  it("while hashing a large file the Hub may already hold (nothing sent, nothing committed)", async () => {
    // 64 GiB of holes: hashing it takes minutes, so the signal surely lands while it runs.
    const size = 64 * 1024 ** 3;
    const s = await scene({
      bigFileBytes: size,
      hub: (stage) => ({
        postprocess: (request, response) => {
          if (isPath(request, "GET", new RegExp(`^/api/models/${REPO}/tree/main`))) {
            stage.reach();
          }
          return response;
        },
      }),
    });
    seedRemoteFile(s.hub, BIG, size);

    const result = await interrupt(s, signal, { delayMs: 500 });

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe("Error: Interrupted; nothing was committed");
    // Only the requests before hashing: the run stopped while hashing, before asking the Hub anything else. The
    // card check runs alongside the repo lookup, so whether it was sent before the signal is timing; so does the
    // creation of the repo, which the Hub refuses (409) as it exists, leaving it unchanged.
    const seen = new Set(s.hub.requests.map((request) => `${request.method} ${request.path}`));
    seen.delete("POST /api/validate-yaml");
    seen.delete("POST /api/repos/create");
    expect(seen).toEqual(
      new Set(["GET /api/whoami-v2", `GET /api/models/${REPO}/revision/main`, `GET /api/models/${REPO}/tree/main`]),
    );
    expect(s.hub.requests.filter((request) => request.path === "/api/repos/create").map((r) => r.status)).not.toContain(
      200,
    );
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(1);
  });

  it("while a new large file is hashed (the smaller files may already be sent; it never reaches the storage)", async () => {
    const size = 64 * 1024 ** 3;
    const asked: number[] = [];
    const s = await scene({
      bigFileBytes: size,
      hub: (stage) => ({
        intercept: async (request) => {
          if (isPath(request, "POST", /\/info\/lfs\/objects\/batch$/)) {
            const { objects } = (await request.clone().json()) as { objects: Array<{ size: number }> };
            asked.push(...objects.map((object) => object.size));
          }
          return undefined;
        },
        postprocess: (request, response) => {
          if (isPath(request, "POST", /\/preupload\/main$/)) {
            stage.reach();
          }
          return response;
        },
      }),
    });

    const result = await interrupt(s, signal, { delayMs: 500 });

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent; nothing was committed`,
    );
    expect(asked).not.toContain(size);
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });

  it("during a xorb upload that the Xet storage holds open", async () => {
    const s = await scene({
      bigFileBytes: 32 * 1024 * 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (isPath(request, "POST", /^\/__xet\/v1\/xorbs\/default\/[0-9a-f]{64}$/)) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, signal);

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent; nothing was committed`,
    );
    expect(s.hub.count("POST", /^\/__xet\/v[12]\/shards$/)).toBe(0);
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });

  it("during the shard upload that the Xet storage holds open (every xorb sent)", async () => {
    const s = await scene({
      bigFileBytes: 32 * 1024 * 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (isPath(request, "POST", /^\/__xet\/v[12]\/shards$/)) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, signal);

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent; nothing was committed`,
    );
    expect(s.hub.count("POST", /^\/__xet\/v1\/xorbs\//)).toBeGreaterThan(0);
    expect(s.hub.count("POST", new RegExp(`^/api/models/${REPO}/commit/`))).toBe(0);
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });

  it("during an LFS PUT that the storage holds open (--no-xet)", async () => {
    const s = await scene({
      bigFileBytes: 32 * 1024 * 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (isPath(request, "PUT", /^\/__lfs\/[0-9a-f]{64}$/)) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, signal, { args: ["--no-xet"] });

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent; nothing was committed`,
    );
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });

  it("during a multipart upload, while one part is held open (--no-xet)", async () => {
    const s = await scene({
      bigFileBytes: 24 * 1024 * 1024,
      hub: (stage) => ({
        multipartChunkSize: 5 * 1024 * 1024,
        intercept: (request) => {
          if (isPath(request, "PUT", /^\/__lfs\/[0-9a-f]{64}\/part\/2$/)) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, signal, { args: ["--no-xet"] });

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent; nothing was committed`,
    );
    expect(s.hub.count("POST", /\/complete$/)).toBe(0);
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });

  it("during a retry wait (503 with Retry-After: 60)", async () => {
    const s = await scene({
      bigFileBytes: 1024,
      hub: () => ({
        intercept: (request) =>
          isPath(request, "POST", /\/preupload\/main$/)
            ? new Response("busy", { status: 503, headers: { "retry-after": "60" } })
            : undefined,
      }),
    });
    let sent = false;
    const child = spawnCli(["--only-upload", "--model-dir", s.models], s.env, {
      onStderr: (stderr, kill) => {
        if (!sent && stderr.includes("Retrying POST")) {
          sent = true;
          kill(signal);
        }
      },
    });

    const result = await child.result;

    expect(result.stderr).toMatch(
      /Retrying POST \/api\/models\/.+\/preupload\/main in 60\.0 s \(HTTP 503; retry 1 of 5\)/,
    );
    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent; nothing was committed`,
    );
    expect(s.hub.count("POST", /\/preupload\/main$/)).toBe(1);
  });

  it("while the commit is held open before it lands: says it had not landed when checked", async () => {
    const s = await scene({
      bigFileBytes: 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (isPath(request, "POST", new RegExp(`^/api/models/${REPO}/commit/main$`))) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, signal);

    const line = await expectCleanInterruption(result, s);
    expect(line).toBe(
      `Error: Interrupted while the commit to ${REPO} was being sent; it had not landed when checked — If it lands after all, a re-run reports the repo as already up to date`,
    );
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });

  it("while the answer to a commit that landed is held back: says it had landed, with its id", async () => {
    const s = await scene({
      bigFileBytes: 1024,
      hub: (stage) => ({
        postprocess: (request, response) => {
          if (isPath(request, "POST", new RegExp(`^/api/models/${REPO}/commit/main$`))) {
            stage.reach();
            return stallResponse(request);
          }
          return response;
        },
      }),
    });

    const result = await interrupt(s, signal);

    const line = await expectCleanInterruption(result, s);
    const commits = commitsAfterInitial(s.hub.repo("model", REPO));
    expect(commits).toHaveLength(1);
    expect(line).toBe(
      `Error: Interrupted, but the commit to ${REPO} had already landed (${commits[0]?.oid}) — Run again to finish anything left (it reports what is already up to date)`,
    );
  });
});

describe("a second signal", () => {
  it("exits 130 at once, even while the first one waits to learn whether the commit landed; the next run cleans up", async () => {
    let holding = true;
    let second: () => void = () => undefined;
    const checking = new Promise<void>((resolve) => (second = resolve));
    const s = await scene({
      bigFileBytes: 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (holding && isPath(request, "POST", new RegExp(`^/api/models/${REPO}/commit/main$`))) {
            stage.reach();
            return stallResponse(request);
          }
          if (holding && isPath(request, "GET", new RegExp(`^/api/models/${REPO}/commits/main$`))) {
            second();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });
    const child = spawnCli(["--only-upload", "--model-dir", s.models], s.env);
    void s.reached.then(() => child.kill("SIGINT"));
    void checking.then(() => child.kill("SIGINT"));

    const forced = await child.result;

    expect(forced.hung, forced.stderr).toBe(false);
    expect(forced.exitCode, forced.stderr).toBe(130);
    // Forced out before the check could answer: no line claims anything about the commit.
    expect(forced.stderr).not.toContain("Error:");
    const left = await readdir(s.tmp);
    expect(left).toEqual([expect.stringMatching(/^process-artifacts-staging-/)]);

    holding = false;
    const next = await spawnCli(["--only-upload", "--model-dir", s.models, "--verbose"], s.env).result;

    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toContain(
      `Removed a staging folder left by an interrupted run: ${path.join(s.tmp, left[0] ?? "")}`,
    );
    expect(next.stderr).toMatch(/^Warning: Removed a stale lock left by pid \d+/m);
    expect(await readdir(s.tmp)).toEqual([]);
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(1);
  });
});

describe("an interruption never claims less than landed", () => {
  it("while the landed commit is being read back: says it had landed", async () => {
    const s = await scene({
      bigFileBytes: 1024,
      hub: (stage) => ({
        intercept: (request, hub) => {
          const committed = commitsAfterInitial(hub.repo("model", REPO)).length > 0;
          if (committed && isPath(request, "GET", new RegExp(`^/api/models/${REPO}/revision/main$`))) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, "SIGINT");

    const line = await expectCleanInterruption(result, s);
    const commits = commitsAfterInitial(s.hub.repo("model", REPO));
    expect(commits).toHaveLength(1);
    expect(line).toContain(`Interrupted, but the commit to ${REPO} had already landed (${commits[0]?.oid})`);
  });

  it("while a stable repo's new commit is being tagged: names the commit that landed", async () => {
    const stable = "alice/olmo-security";
    const s = await scene({
      bigFileBytes: 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (isPath(request, "POST", new RegExp(`^/api/models/${stable}/tag/`))) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, "SIGTERM", { args: ["--repo", stable] });

    const line = await expectCleanInterruption(result, s);
    const commits = commitsAfterInitial(s.hub.repo("model", stable));
    expect(commits).toHaveLength(1);
    expect(line).toBe(
      `Error: Interrupted while tagging ${stable} as ${RUN} (already committed: ${stable} at ${commits[0]?.oid}) — Run again to finish: what is already on the Hub is neither sent nor committed twice`,
    );
  });

  it("during the second run of a backlog (--all): names the first run's commit", async () => {
    const newer = "webauthn-security-sequential_20250927_120000";
    const s = await scene({
      bigFileBytes: 1024 * 1024,
      hub: (stage) => ({
        intercept: (request) => {
          if (isPath(request, "POST", new RegExp(`^/api/models/alice/${newer}/commit/main$`))) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });
    await writeMlxRun(s.models, newer, { seed: 5 });

    const result = await interrupt(s, "SIGTERM", { args: ["--all"] });

    const line = await expectCleanInterruption(result, s);
    const first = commitsAfterInitial(s.hub.repo("model", REPO));
    expect(first).toHaveLength(1);
    expect(line).toMatch(
      new RegExp(
        `^Error: Interrupted while the commit to alice/${newer} was being sent; it had not landed when checked \\(already committed: ${REPO} at ${first[0]?.oid}\\)`,
      ),
    );
    expect(commitsAfterInitial(s.hub.repo("model", `alice/${newer}`))).toHaveLength(0);
  });

  it("after the training data was published, while the model uploads: names the dataset commit, exit 130", async () => {
    const dataset = `alice/${RUN}-training-data`;
    const s = await scene({
      bigFileBytes: 1024 * 1024,
      staged: true,
      hub: (stage) => ({
        intercept: (request, hub) => {
          const datasetLanded = commitsAfterInitial(hub.repo("dataset", dataset)).length > 0;
          // The model's content on its way to storage (Xet, which the Hub offers; or LFS).
          const storing = isPath(request, "PUT", /^\/__lfs\//) || isPath(request, "POST", /^\/__xet\/v1\/xorbs\//);
          if (datasetLanded && storing) {
            stage.reach();
            return stallResponse(request);
          }
          return undefined;
        },
      }),
    });

    const result = await interrupt(s, "SIGINT", { args: ["--json"] });

    const line = await expectCleanInterruption(result, s);
    const landed = commitsAfterInitial(s.hub.repo("dataset", dataset));
    expect(landed).toHaveLength(1);
    expect(line).toBe(
      `Error: Interrupted while uploading to ${REPO}, before its commit was sent (already committed: ${dataset} at ${landed[0]?.oid}) — Run again to finish: what is already on the Hub is neither sent nor committed twice`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "error",
      exitCode: 130,
      landed: [{ repoId: dataset, commit: landed[0]?.oid }],
      committed: [{ repoId: dataset, oid: landed[0]?.oid }],
    });
    expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
  });
});

describe("a storage upload that keeps failing", () => {
  it.each([
    {
      storage: "LFS (--no-xet)",
      args: ["--no-xet"],
      failing: (request: Request) => request.method === "PUT",
      what: "uploading \\S+ to LFS storage",
    },
    {
      storage: "Xet",
      args: [],
      failing: (request: Request) => isPath(request, "POST", /^\/__xet\/v1\/xorbs\//),
      what: "uploading [^(]+ to Xet storage \\(xorb [0-9a-f]{64}\\)",
    },
  ])(
    "$storage: ends with exit 1 and one line once the retries are spent, instead of hanging",
    async ({ args, failing, what }) => {
      const s = await scene({
        bigFileBytes: 1024 * 1024,
        hub: () => ({
          intercept: (request) => (failing(request) ? new Response("storage down", { status: 500 }) : undefined),
        }),
      });
      const child = spawnCli(["--only-upload", "--model-dir", s.models, ...args], s.env, { deadlineMs: 60_000 });

      const result = await child.result;

      expect(result.hung, result.stderr).toBe(false);
      expect(result.exitCode, result.stderr).toBe(1);
      const errors = result.stderr.split("\n").filter((line) => line.startsWith("Error:"));
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Error: The Hub answered 500 while uploading to ${REPO} \\(gave up after 6 attempts\\): ${what}: storage down \\[request id [^\\]]+\\] — The Hub is busy or failing; run again later \\(files already on the Hub are not sent twice\\)$`,
          ),
        ),
      ]);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      // Each upload was tried once and retried 5 times, and the failure stopped the rest at once.
      const puts = s.hub.requests.filter(
        (request) =>
          request.status === 500 && (request.method === "PUT" || request.path.startsWith("/__xet/v1/xorbs/")),
      );
      const perPath = new Map<string, number>();
      for (const put of puts) {
        perPath.set(put.path, (perPath.get(put.path) ?? 0) + 1);
      }
      expect(Math.max(...perPath.values())).toBe(6);
      expect(commitsAfterInitial(s.hub.repo("model", REPO))).toHaveLength(0);
      expect(await readdir(s.tmp)).toEqual([]);
      expect(await readdir(path.join(s.home, ".cache", "process-artifacts", "locks")).catch(() => [])).toEqual([]);
    },
  );
});
