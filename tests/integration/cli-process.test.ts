import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { http, passthrough } from "msw";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { server } from "../helpers/msw-server.js";
import { testdir } from "../helpers/testdir.js";
import { CLI_BIN as BIN, DENY_NETWORK, RUN } from "../helpers/fixtures.js";
import { ANNOUNCEMENT } from "../helpers/announcement.js";

interface Child {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with only the environment given (plus PATH): nothing leaks in from vitest. */
function runBin(
  args: string[],
  env: Record<string, string>,
  options: { nodeArgs?: string[]; onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {},
): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PROCESS_ARTIFACTS_RETRY_BASE_MS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on("error", reject);
    child.on("close", (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}

describe("the built CLI in a child process", () => {
  beforeAll(() => {
    if (!existsSync(BIN)) {
      throw new Error(`${BIN} is missing: run "npm run build" first (npm test does it)`);
    }
  });

  it("--help works through the bin shim (shebang, ESM, package.json bin)", async () => {
    const home = await testdir();
    const result = await runBin(["--help"], { HOME: home });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("process-artifacts [--only-upload] [options]");
  });

  it("uploads the newest run to a local Hub emulator over real HTTP; files read back byte for byte", async () => {
    const hub = new FakeHub();
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    const home = await testdir();
    const tmp = await testdir();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20250925_100000", { seed: 9 });
    const run = await writeMlxRun(models, RUN);

    const result = await runBin(["--only-upload", "--model-dir", models], {
      HOME: home,
      TMPDIR: tmp,
      HF_ENDPOINT: served.url,
      HF_TOKEN: DEFAULT_TOKEN,
    });

    // Nothing but the line announcing the upload: no warning, and no progress in a pipe for an upload this short.
    expect(result.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(ANNOUNCEMENT)]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`✅ Model uploaded successfully: ${served.url}/alice/${RUN}`);
    server.use(http.all(`${served.url}/*`, () => passthrough()));
    const response = await fetch(`${served.url}/alice/${RUN}/resolve/main/mlx/adapters.safetensors`);
    const downloaded = Buffer.from(await response.arrayBuffer());
    const original = await readFile(path.join(run, "adapters", "adapters.safetensors"));
    expect(createHash("sha256").update(downloaded).digest("hex")).toBe(
      createHash("sha256").update(original).digest("hex"),
    );
    expect(await readdir(tmp)).toEqual([]);
  });

  it("with VITEST=true and the production Hub: prints the blocked line and opens no network connection", async () => {
    const home = await testdir();
    const tmp = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const log = path.join(tmp, "..", `${path.basename(tmp)}-network.log`);
    onTestFinished(() => import("node:fs/promises").then((fs) => fs.rm(log, { force: true })));

    const result = await runBin(
      ["--only-upload", "--model-dir", models],
      {
        HOME: home,
        TMPDIR: tmp,
        VITEST: "true",
        HF_ENDPOINT: "https://huggingface.co",
        HF_TOKEN: DEFAULT_TOKEN,
        DENY_NETWORK_LOG: log,
      },
      { nodeArgs: ["--import", DENY_NETWORK] },
    );

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("🛑 Upload blocked - test environment detected");
    expect(result.stdout).toContain(`https://huggingface.co/test-blocked/${RUN}`);
    expect(existsSync(log)).toBe(false);
    expect(await readdir(tmp)).toEqual([]);
  });

  it("the network denial used above really catches a connection attempt", async () => {
    const home = await testdir();
    const tmp = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const log = path.join(tmp, "network.log");

    const result = await runBin(
      ["--model-dir", models],
      {
        HOME: home,
        HF_ENDPOINT: "https://hub.invalid",
        HF_TOKEN: DEFAULT_TOKEN,
        DENY_NETWORK_LOG: log,
      },
      { nodeArgs: ["--import", DENY_NETWORK] },
    );

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^Error: Could not reach the Hub at https:\/\/hub\.invalid/m);
    expect(await readFile(log, "utf8")).toMatch(/hub\.invalid/);
  });

  it("Ctrl-C stops the upload, removes the staging folder and exits 130", async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const hub = new FakeHub({
      intercept: async (request) => {
        if (new URL(request.url).pathname === "/api/repos/create") {
          await stuck;
          return new Response("gone", { status: 503 });
        }
        return undefined;
      },
    });
    const served = await serveFakeHub(hub);
    onTestFinished(async () => {
      release();
      await served.close();
    });
    const home = await testdir();
    const tmp = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const interval = setInterval(() => undefined, 1000);
    onTestFinished(() => clearInterval(interval));

    let sent = false;
    const child = runBin(
      ["--model-dir", models, "--verbose"],
      { HOME: home, TMPDIR: tmp, HF_ENDPOINT: served.url, HF_TOKEN: DEFAULT_TOKEN },
      {
        onStderr: (text, kill) => {
          if (!sent && text.includes("Creating the repo")) {
            sent = true;
            setTimeout(() => kill("SIGINT"), 100);
          }
        },
      },
    );
    const result = await child;

    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("Interrupted");
    expect(await readdir(tmp)).toEqual([]);
    expect(hub.repos.size).toBe(0);
  });
});
