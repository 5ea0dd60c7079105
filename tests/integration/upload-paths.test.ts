import { createHash, randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import net from "node:net";
import { http, passthrough } from "msw";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { server } from "../helpers/msw-server.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const REPO = `alice/${RUN}`;

describe("upload paths and Hub failures", () => {
  it("uses multipart LFS when the Hub asks for it, and the object arrives intact", async () => {
    const hub = useFakeHub({ multipartChunkSize: 4 * 1024 * 1024 });
    const models = await testdir();
    const big = randomBytes(11 * 1024 * 1024);
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": big } });

    // Multipart is LFS's: without Xet, as huggingface_hub with HF_HUB_DISABLE_XET=1 uploads.
    const result = await runCli(["--model-dir", models], { env: { HF_HUB_DISABLE_XET: "1" } });

    expect(result.exitCode).toBe(0);
    expect(hub.count("PUT", /\/part\/\d+$/)).toBe(3);
    expect(hub.count("POST", /\/complete$/)).toBe(1);
    const stored = await hub.fileContent(REPO, "fused/model.bin");
    expect(createHash("sha256").update(stored).digest("hex")).toBe(createHash("sha256").update(big).digest("hex"));
  });

  it("draws progress on stderr when it is a terminal, and keeps stdout clean", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });

    const result = await runCli(["--model-dir", models], { stderrIsTTY: true });

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("\r\x1b[K");
    expect(result.stderr).toMatch(/Uploading… \d+\/\d+ files · \d+%/);
    expect(result.stdout).not.toContain("\r");
  });

  it("a Hub error on commit is one clear line with status and request id, exit 1, and no commit", async () => {
    const hub = useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname.endsWith("/commit/main")
          ? new Response(JSON.stringify({ error: "Internal Error - We're working hard to fix this" }), {
              status: 500,
              headers: { "content-type": "application/json", "x-request-id": "Root=1-abc" },
            })
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(new RegExp(`^Publishing ${RUN} to ${REPO} \\(6 files, [\\d.]+ KiB\\)$`)),
      ...[1, 2, 3, 4, 5].map(
        (n) => `Retrying POST /api/models/${REPO}/commit/main in 0.0 s (HTTP 500; retry ${n} of 5)`,
      ),
    ]);
    expect(lines.at(-1)).toBe(
      `Error: The Hub answered 500 while uploading to ${REPO} (gave up after 6 attempts): Internal Error - We're working hard to fix this [request id Root=1-abc] — The Hub is busy or failing; run again later (files already on the Hub are not sent twice)`,
    );
    expect(commitsAfterInitial(hub.repos.get(REPO))).toEqual([]);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it("no write permission on the namespace is an auth error (exit 5) with a hint", async () => {
    useFakeHub({ users: { hf_fake_read_only_token: { name: "bob", canWrite: false } } });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models], { env: { HF_TOKEN: "hf_fake_read_only_token" } });

    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(/\nError: The token is not allowed to do this \(403\) while creating the repo bob\//);
    expect(result.stderr).toContain("huggingface.repo_prefix");
  });

  it("an unreachable Hub is exit 1 with a network hint", async () => {
    const models = await testdir();
    await writeMlxRun(models, RUN);
    // Let this one request really go out, to a loopback port nothing listens on any more.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const endpoint = `http://127.0.0.1:${port}`;
    server.use(http.all(`${endpoint}/*`, () => passthrough()));

    const result = await runCli(["--model-dir", models], {
      env: { HF_ENDPOINT: endpoint, PROCESS_ARTIFACTS_MAX_RETRIES: "2" },
    });

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      [
        "Retrying GET /api/whoami-v2 in 0.0 s (ECONNREFUSED; retry 1 of 2)",
        "Retrying GET /api/whoami-v2 in 0.0 s (ECONNREFUSED; retry 2 of 2)",
        `Error: Could not reach the Hub at ${endpoint} while checking the token (whoami) (gave up after 3 attempts): ECONNREFUSED — Check your network connection and HF_ENDPOINT, then run again (files already on the Hub are not sent twice)`,
        "",
      ].join("\n"),
    );
  });
});
