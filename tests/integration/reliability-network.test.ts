import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN } from "../../emulator/fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { runToCompletion } from "../helpers/run-to-completion.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { PROJECT_ROOT as ROOT, RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const REPO = `alice/${RUN}`;

/** Runs the sources (not a possibly stale build) in a child process, with only the environment given. */
async function runSources(
  args: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runToCompletion(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "src", "bin.ts"), ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PROCESS_ARTIFACTS_RETRY_BASE_MS: "1", ...env } },
  );
  return { exitCode: code, stdout, stderr };
}

describe("network edge: a Hub that misbehaves never makes the tool hang or re-send an upload", () => {
  it("a commit answered with a redirect is not re-sent to the other host: exit 1, one line naming the endpoint", async () => {
    const seen = recordAllRequests();
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname.endsWith("/commit/main")
          ? new Response(null, { status: 307, headers: { location: "https://elsewhere.test/api/commit" } })
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(
      `Error: The Hub redirected POST /api/models/${REPO}/commit/main to elsewhere.test; refusing to re-send the upload — Check HF_ENDPOINT: it must be the Hub itself, not an address that forwards to it`,
    );
    expect(seen.filter((request) => request.includes("elsewhere.test"))).toEqual([]);
    expect(hub.count("POST", /\/commit\/main$/)).toBe(1);
    expect(commitsAfterInitial(hub.repos.get(REPO))).toEqual([]);
    expect(result.stdout).not.toContain("uploaded successfully");
  });

  it("a commit told to wait an hour gives up at once with a clear line, instead of retrying against Retry-After", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname.endsWith("/commit/main")
          ? new Response("slow down", { status: 429, headers: { "retry-after": "3600" } })
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(
      `Error: The Hub asked to wait 3600 s (Retry-After) before retrying POST /api/models/${REPO}/commit/main, longer than the 300 s this tool waits — Run again later (files already on the Hub are not sent twice)`,
    );
    expect(result.stderr).not.toContain("Retrying POST");
    expect(hub.count("POST", /\/commit\/main$/)).toBe(1);
  });

  it(
    "a Hub that accepts connections and never answers: every attempt ends at PROCESS_ARTIFACTS_TIMEOUT_MS",
    { timeout: 120_000 },
    async () => {
      let requests = 0;
      const silent = http.createServer(() => {
        requests++;
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      onTestFinished(
        () =>
          new Promise<void>((resolve) => {
            silent.closeAllConnections();
            silent.close(() => resolve());
          }),
      );
      const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const models = await testdir();
      await writeMlxRun(models, RUN);

      const started = Date.now();
      const result = await runSources(["--model-dir", models], {
        HOME: await testdir(),
        TMPDIR: await testdir(),
        HF_ENDPOINT: endpoint,
        HF_TOKEN: DEFAULT_TOKEN,
        PROCESS_ARTIFACTS_TIMEOUT_MS: "300",
        PROCESS_ARTIFACTS_MAX_RETRIES: "2",
      });

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("Retrying GET /api/whoami-v2");
      expect(result.stderr.trimEnd().split("\n").at(-1)).toMatch(
        /^Error: The Hub at http:\/\/127\.0\.0\.1:\d+ did not answer in time while checking the token \(whoami\) \(gave up after 3 attempts\): no complete answer within 300 ms — /,
      );
      expect(requests).toBe(3);
      // Generous bound: undici alone would have waited 300 s for the first answer.
      expect(Date.now() - started).toBeLessThan(60_000);
    },
  );
});

describe("local files during the upload", () => {
  it("a run file rewritten while the upload is under way fails the run with the file named, nothing committed", async () => {
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { extra: { "notes.txt": "first version\n" } });
    const hub = useFakeHub({
      intercept: async (request) => {
        if (new URL(request.url).pathname.includes("/preupload/")) {
          await writeFile(path.join(run, "notes.txt"), "second version\n");
        }
        return undefined;
      },
    });

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(
      "Error: notes.txt changed while it was being uploaded — re-run when training has finished writing",
    );
    expect(hub.count("POST", /\/commit\/main$/)).toBe(0);
    expect(commitsAfterInitial(hub.repos.get(REPO))).toEqual([]);
  });

  it("a run file replaced by a folder is a local problem, never 'check your network'", async () => {
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(64 * 1024) } });
    useFakeHub({
      intercept: async (request) => {
        if (new URL(request.url).pathname.includes("/preupload/")) {
          await rm(path.join(run, "fused", "model.bin"));
          await mkdir(path.join(run, "fused", "model.bin"));
        }
        return undefined;
      },
    });

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Error: fused/model.bin changed while it was being uploaded");
    expect(result.stderr).not.toMatch(/network|Could not reach/);
  });
});
