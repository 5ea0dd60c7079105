import { spawn } from "node:child_process";
import { open, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { testdir } from "../helpers/testdir.js";
import { CLI_BIN, PROJECT_ROOT as ROOT, RUN } from "../helpers/fixtures.js";

const SIZE = 300 * 1024 * 1024;

describe("memory", () => {
  it("uploads a 300 MiB file with the uploading process staying far below the file size", async () => {
    const hub = new FakeHub({ discardLfsContent: true });
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    // A sparse file: instant to create, and every byte still has to be read, hashed and sent.
    const handle = await open(path.join(run, "fused-model.bin"), "w");
    await handle.truncate(SIZE);
    await handle.close();
    const home = await testdir();
    const rssFile = path.join(home, "rss");

    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", path.join(ROOT, "tests", "helpers", "report-rss.mjs"), CLI_BIN, "--model-dir", models],
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            TMPDIR: home,
            HF_ENDPOINT: served.url,
            HF_TOKEN: DEFAULT_TOKEN,
            REPORT_RSS_FILE: rssFile,
          },
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      child.on("error", reject);
      child.on("close", resolve);
    });

    expect(exitCode).toBe(0);
    const uploaded = hub.requests.filter((r) => r.method === "PUT").reduce((sum, r) => sum + r.bytes, 0);
    expect(uploaded).toBeGreaterThanOrEqual(SIZE);
    expect(hub.repos.get(`alice/${RUN}`)?.files.get("fused-model.bin")?.size).toBe(SIZE);
    const peak = Number(await readFile(rssFile, "utf8"));
    // Node's fetch would hold the whole 300 MiB body; streaming keeps us near the idle footprint.
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  });
});
