import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { ANNOUNCEMENT } from "../helpers/announcement.js";

const REPO = `alice/${RUN}`;
const COMMIT = `/api/models/${REPO}/commit/main`;

const json = (body: string, status = 200, type = "application/json"): Response =>
  new Response(body, { status, headers: { "content-type": type } });

describe("a result is proven, never assumed", () => {
  it.each([
    ["200 {}", () => json("{}"), "commitOid is missing"],
    [
      "200 with an HTML page",
      () => json("<html><body>Maintenance</body></html>", 200, "text/html"),
      "answered an HTML page instead of JSON",
    ],
    [
      "200 with a commit id that is not one",
      () => json(JSON.stringify({ commitOid: "abc", commitUrl: "x" })),
      "commitOid must be a 40-character commit id",
    ],
  ])(
    "a commit answered %s is a failure naming the endpoint, and nothing is reported as uploaded",
    async (_label, answer, problem) => {
      const hub = useFakeHub({
        intercept: (request) =>
          request.method === "POST" && new URL(request.url).pathname === COMMIT ? answer() : undefined,
      });
      const models = await testdir();
      await writeMlxRun(models, RUN);

      const result = await runCli(["--model-dir", models, "--json"]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`Error: The Hub's answer to POST ${COMMIT} is malformed: ${problem}`);
      expect(result.stderr).not.toMatch(/Cannot read properties|is not iterable|undefined/);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: "error", exitCode: 1 });
      expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(0);
    },
  );

  it("a commit answered with a well-formed id that the branch does not hold is not reported as uploaded", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        request.method === "POST" && new URL(request.url).pathname === COMMIT
          ? json(JSON.stringify({ commitOid: "f".repeat(40), commitUrl: "https://hub.test/x" }))
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    // The repo was created for this upload: main is still at the Hub's initial commit.
    const initial = hub.repos.get(REPO)?.branches.get("main");
    expect(hub.repos.get(REPO)?.allCommits.get(initial ?? "")?.title).toBe("initial commit");
    expect(result.stderr).toContain(
      `Error: The Hub answered the commit with ${"f".repeat(40)}, but main of ${REPO} is at ${initial}`,
    );
    expect(result.stdout).not.toContain("uploaded successfully");
  });

  it("a malformed preupload answer is one line naming the endpoint, not a crash inside the Hub library", async () => {
    useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname.includes("/preupload/") ? json(JSON.stringify({ files: null })) : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(ANNOUNCEMENT),
      `Error: The Hub's answer to POST /api/models/${REPO}/preupload/main is malformed: files is missing — Nothing was taken for granted from it; check HF_ENDPOINT (a proxy or a login page?) and run again`,
    ]);
  });

  it("a card check answered with an HTML page is 'could not check', never 'valid'", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname === "/api/validate-yaml"
          ? json("<html>login</html>", 200, "text/html")
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "Warning: Could not check the model card with the Hub (the Hub answered 200 without a JSON verdict); uploading anyway",
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
  });
});

describe("did our commit land? only our own commit counts", () => {
  it("someone else's commit with the very same files, after our answer was lost, is not taken for ours", async () => {
    let armed = false;
    let raced = false;
    const hub = useFakeHub({
      intercept: async (request, emulator) => {
        if (!armed || raced || request.method !== "POST" || new URL(request.url).pathname !== COMMIT) {
          return undefined;
        }
        raced = true;
        // Another client commits exactly our files first (its own message, no parent); ours is lost in a 502.
        const [header, ...operations] = (await request.clone().text()).split("\n");
        const theirs = JSON.parse(header ?? "{}") as { value: Record<string, unknown> };
        theirs.value = { summary: "someone else's upload", description: "" };
        await emulator.handle(
          new Request(request.url, {
            method: "POST",
            headers: request.headers,
            body: [JSON.stringify(theirs), ...operations].join("\n"),
          }),
        );
        return new Response("bad gateway", { status: 502 });
      },
    });
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    const home = await testdir();
    expect((await runCli(["--model-dir", models], { home })).exitCode).toBe(0);
    await writeFile(path.join(run, "notes.txt"), "a second upload\n");
    armed = true;

    const result = await runCli(["--model-dir", models], { home });

    // Not ours: retried on top of the head it compared against, which the Hub refuses (412), truthfully.
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("The repo changed while uploading");
    expect(result.stdout).not.toContain("uploaded successfully");
    const commits = commitsAfterInitial(hub.repos.get(REPO));
    expect(commits.map((commit) => commit.title).slice(1)).toEqual(["someone else's upload"]);
  });

  it("our own commit whose answer was lost is recognised by its trailer and reported with its real id", async () => {
    let lost = false;
    const hub = useFakeHub({
      postprocess: (request, response) => {
        if (!lost && request.method === "POST" && new URL(request.url).pathname === COMMIT && response.ok) {
          lost = true;
          return new Response("gateway timeout", { status: 504 });
        }
        return response;
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    const commits = commitsAfterInitial(hub.repos.get(REPO));
    expect(commits).toHaveLength(1);
    expect(commits[0]?.description).toMatch(/^Process-Artifacts-Upload: [0-9a-f]{24}$/m);
    expect(commits[0]?.description).toContain(`Process-Artifacts-Run: ${RUN}`);
    expect(result.stdout).toContain(`Commit: ${commits[0]?.oid ?? "?"}`);
  });
});

describe("files that change during the upload", () => {
  it.each([
    { storage: "Xet", env: {} },
    { storage: "LFS", env: { HF_HUB_DISABLE_XET: "1" } },
  ])(
    "a file rewritten after it was sent through $storage but before the commit: exit 1, named, nothing committed",
    async ({ env }) => {
      let run = "";
      const hub = useFakeHub({
        postprocess: async (request, response) => {
          // Content has reached storage (an LFS PUT: the two go out at once, in no set order; or the xorb
          // holding both): now training "writes" the adapter again. Whether its own upload was under way
          // or done by then, it is the one named.
          const where = new URL(request.url).pathname;
          if ((request.method === "PUT" || where.startsWith("/__xet/v1/xorbs/")) && response.ok) {
            await writeFile(path.join(run, "adapters", "adapters.safetensors"), "rewritten by a late writer");
          }
          return response;
        },
      });
      const models = await testdir();
      run = await writeMlxRun(models, RUN);

      const result = await runCli(["--model-dir", models], { env });

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        "Error: mlx/adapters.safetensors changed while it was being uploaded — re-run when training has finished writing",
      );
      expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(0);
      expect(hub.count("POST", /\/commit\//)).toBe(0);
    },
  );

  it("a file changed between validation and upload is refused before anything is sent for it", async () => {
    let run = "";
    const hub = useFakeHub({
      intercept: async (request) => {
        if (new URL(request.url).pathname === "/api/whoami-v2") {
          await writeFile(path.join(run, "training_metadata.json"), JSON.stringify({ note: "rewritten" }));
        }
        return undefined;
      },
    });
    const models = await testdir();
    run = await writeMlxRun(models, RUN);
    const before = await hashTree(run);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Error: training_metadata.json changed while it was being uploaded");
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(0);
    expect(before).not.toEqual(await hashTree(run));
  });
});
