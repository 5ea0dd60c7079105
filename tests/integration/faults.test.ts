import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { faultInjector } from "../helpers/fault-injector.js";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { storageUploads } from "../helpers/storage-uploads.js";

const REPO = `alice/${RUN}`;
const sha = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** The two ways files reach storage: Xet (the Hub offers it; the default) and LFS (HF_HUB_DISABLE_XET=1). */
const PATHS = [
  { storage: "Xet", env: {}, route: /^(?:POST|GET) \/__xet\// },
  { storage: "LFS", env: { HF_HUB_DISABLE_XET: "1" }, route: /^PUT / },
] as const;

describe("fault tolerance", () => {
  it.each(PATHS.flatMap((path) => [1, 2, 3].map((seed) => ({ ...path, seed }))))(
    "completes byte-identical through $storage with 20 percent of requests failing, seed $seed",
    async ({ env, route, seed }) => {
      const faults = faultInjector(0.2, seed);
      // On top, every storage request fails its first attempt: the storage's own retries are always tested.
      const failedOnce = new Set<string>();
      const hub = useFakeHub({
        intercept: (request) => {
          const what = `${request.method} ${new URL(request.url).pathname}`;
          if (route.test(what) && !failedOnce.has(what)) {
            failedOnce.add(what);
            return new Response(JSON.stringify({ error: "storage busy" }), { status: 503 });
          }
          return faults.intercept(request);
        },
        multipartChunkSize: 5 * 1024 * 1024,
      });
      const models = await testdir();
      const run = await writeMlxRun(models, RUN, {
        extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024), "notes.txt": "hello\n" },
      });
      const before = await hashTree(run);

      const result = await runCli(["--model-dir", models], { env });

      expect(result.exitCode, result.stderr).toBe(0);
      expect(faults.injected.length).toBeGreaterThan(0);
      expect(failedOnce.size).toBeGreaterThan(0);
      expect(result.stderr).toContain("Retrying");
      const repo = hub.repos.get(REPO);
      expect(commitsAfterInitial(repo)).toHaveLength(1);
      for (const file of ["fused/model.bin", "notes.txt", "mlx/adapters.safetensors"]) {
        expect(sha(await hub.fileContent(REPO, file)), file).toBe(
          sha(await readFile(path.join(run, file.replace(/^mlx\//, "adapters/")))),
        );
      }
      expect(await hashTree(run)).toEqual(before);
    },
  );

  it("a commit whose answer is lost is not committed twice", async () => {
    let lost = 0;
    const hub = useFakeHub({
      postprocess: (request, response) => {
        if (new URL(request.url).pathname.endsWith("/commit/main") && response.ok && lost < 2) {
          lost++;
          return lost === 1 ? new Response("bad gateway", { status: 502 }) : Response.error();
        }
        return response;
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(lost).toBe(1);
    expect(hub.count("POST", /\/commit\/main$/)).toBe(1);
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
    expect(result.stdout).toContain(`Commit: ${commitsAfterInitial(hub.repos.get(REPO))[0]?.oid ?? "?"}`);
  });

  it("a commit that failed before landing is retried and lands once", async () => {
    let failed = 0;
    const hub = useFakeHub({
      intercept: (request) => {
        if (new URL(request.url).pathname.endsWith("/commit/main") && failed < 2) {
          failed++;
          return failed === 1 ? new Response("unavailable", { status: 503 }) : Response.error();
        }
        return undefined;
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.count("POST", /\/commit\/main$/)).toBe(3);
    expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
  });

  it.each([
    {
      storage: "LFS",
      env: { HF_HUB_DISABLE_XET: "1" },
      failing: (request: Request) => request.method === "PUT",
      // Both LFS files upload at once and either may run out of retries first: the error names the one that did.
      line: /^Error: The Hub answered 503 while uploading to .* \(gave up after 4 attempts\): uploading (adapter_model\.safetensors|mlx\/adapters\.safetensors) to LFS storage: storage down/,
    },
    {
      storage: "Xet",
      env: {},
      failing: (request: Request) => request.method === "POST" && request.url.includes("/__xet/v1/xorbs/"),
      // Both small files share one xorb: the error names both (in the order they were read).
      line: /^Error: The Hub answered 503 while uploading to .* \(gave up after 4 attempts\): uploading (adapter_model\.safetensors, mlx\/adapters\.safetensors|mlx\/adapters\.safetensors, adapter_model\.safetensors) to Xet storage \(xorb [0-9a-f]{64}\): storage down/,
    },
  ])(
    "beyond the retry budget of the $storage storage: exit 1, a clear message, and no partial commit",
    async ({ env, failing, line }) => {
      const hub = useFakeHub({
        intercept: (request) =>
          failing(request)
            ? new Response(JSON.stringify({ error: "storage down" }), {
                status: 503,
                headers: { "content-type": "application/json" },
              })
            : undefined,
      });
      const models = await testdir();
      await writeMlxRun(models, RUN);

      const result = await runCli(["--model-dir", models], { env: { PROCESS_ARTIFACTS_MAX_RETRIES: "3", ...env } });

      expect(result.exitCode).toBe(1);
      expect(result.stderr.trimEnd().split("\n").at(-1)).toMatch(line);
      expect(commitsAfterInitial(hub.repos.get(REPO))).toEqual([]);
      expect(hub.count("POST", /\/commit\//)).toBe(0);
    },
  );

  it.each(PATHS)(
    "a re-run after an interrupted upload through $storage completes without re-sending what the Hub already has",
    async ({ env }) => {
      let failCommits = true;
      const hub = useFakeHub({
        intercept: (request) =>
          failCommits && new URL(request.url).pathname.endsWith("/commit/main")
            ? new Response("down", { status: 500 })
            : undefined,
      });
      const home = await testdir();
      const models = await testdir();
      await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });

      const first = await runCli(["--model-dir", models], {
        home,
        env: { PROCESS_ARTIFACTS_MAX_RETRIES: "1", ...env },
      });
      expect(first.exitCode).toBe(1);
      const sentFirst = storageUploads(hub.requests);
      expect(sentFirst.bytes).toBeGreaterThan(12 * 1024 * 1024);

      failCommits = false;
      const second = await runCli(["--model-dir", models], { home, env });

      expect(second.exitCode).toBe(0);
      expect(storageUploads(hub.requests)).toEqual(sentFirst);
      expect(commitsAfterInitial(hub.repos.get(REPO))).toHaveLength(1);
    },
  );

  it("honours Retry-After", async () => {
    let limited = false;
    useFakeHub({
      intercept: (request) => {
        if (!limited && new URL(request.url).pathname === "/api/whoami-v2") {
          limited = true;
          return new Response("slow down", { status: 429, headers: { "retry-after": "1" } });
        }
        return undefined;
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const started = Date.now();
    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.stderr).toContain("Retrying GET /api/whoami-v2 in 1.0 s (HTTP 429; retry 1 of 5)");
  });
});
