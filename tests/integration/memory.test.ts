import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { testdir } from "../helpers/testdir.js";
import { CLI_BIN, PROJECT_ROOT as ROOT, RUN } from "../helpers/fixtures.js";

const SIZE = 300 * 1024 * 1024;

/** Runs the built CLI on `models` against `url`, returning its exit code and peak RSS (bytes). */
async function upload(
  models: string,
  url: string,
  args: string[] = [],
): Promise<{ exitCode: number | null; peak: number }> {
  const home = await testdir();
  const rssFile = path.join(home, "rss");
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", path.join(ROOT, "tests", "helpers", "report-rss.mjs"), CLI_BIN, "--model-dir", models, ...args],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          TMPDIR: home,
          HF_ENDPOINT: url,
          HF_TOKEN: DEFAULT_TOKEN,
          REPORT_RSS_FILE: rssFile,
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("error", reject);
    child.on("close", resolve);
  });
  return { exitCode, peak: Number(await readFile(rssFile, "utf8")) };
}

describe("memory", () => {
  it("uploads a 300 MiB file through LFS with the uploading process staying far below the file size", async () => {
    const hub = new FakeHub({ discardLfsContent: true });
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    // A sparse file: instant to create, and every byte still has to be read, hashed and sent.
    const handle = await open(path.join(run, "fused-model.bin"), "w");
    await handle.truncate(SIZE);
    await handle.close();

    const { exitCode, peak } = await upload(models, served.url, ["--no-xet"]);

    expect(exitCode).toBe(0);
    const uploaded = hub.requests.filter((r) => r.method === "PUT").reduce((sum, r) => sum + r.bytes, 0);
    expect(uploaded).toBeGreaterThanOrEqual(SIZE);
    expect(hub.repos.get(`alice/${RUN}`)?.files.get("fused-model.bin")?.size).toBe(SIZE);
    // Node's fetch would hold the whole 300 MiB body; streaming keeps us near the idle footprint.
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  });

  it("uploads 300 MiB that Xet can neither dedup nor compress holding a few xorbs, never the file", async () => {
    const hub = new FakeHub({ discardLfsContent: true });
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    // Random bytes: every chunk is new and stored as it is, so all 300 MiB go into xorbs and onto the wire.
    const handle = await open(path.join(run, "fused-model.bin"), "w");
    for (let written = 0; written < SIZE; written += 8 * 1024 * 1024) {
      await handle.write(randomBytes(Math.min(8 * 1024 * 1024, SIZE - written)));
    }
    await handle.close();

    const { exitCode, peak } = await upload(models, served.url);

    expect(exitCode).toBe(0);
    const xorbs = hub.requests.filter((r) => r.method === "POST" && r.path.startsWith("/__xet/v1/xorbs/"));
    expect(xorbs.reduce((sum, r) => sum + r.bytes, 0)).toBeGreaterThanOrEqual(SIZE);
    expect(hub.count("PUT", /./)).toBe(0);
    expect(hub.repos.get(`alice/${RUN}`)?.files.get("fused-model.bin")?.size).toBe(SIZE);
    // Two xorbs of up to 64 MiB at a time (built or on the wire), beside the idle footprint.
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  });
});
