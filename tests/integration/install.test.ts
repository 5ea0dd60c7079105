import { spawnSync } from "node:child_process";
import { cp, readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/fixtures.js";
import { runToCompletion } from "../helpers/run-to-completion.js";
import { startHubCommand } from "../helpers/start-hub-command.js";
import { testdir } from "../helpers/testdir.js";

const VERSION = (JSON.parse(await readFile(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string })
  .version;
// Installing fetches the dependencies from the npm registry into a temp cache (never the user's ~/.npm).
const registryReachable =
  spawnSync("npm", ["ping", "--fetch-timeout=5000", "--fetch-retries=0"], { stdio: "ignore", timeout: 15_000 })
    .status === 0;
const GLOBAL_CONFIG = spawnSync("npm", ["config", "get", "globalconfig"], { encoding: "utf8" }).stdout.trim();
if (!registryReachable) {
  console.warn("install tests skipped: the npm registry is not reachable from here");
}

/**
 * The ways the pipeline's machine gets the two commands (README "Installing it"): the packed tarball
 * installed globally, and npx. The tarball is what `npm pack` makes of the dist/ vitest's global setup
 * just built (packed without scripts, so this test never rebuilds dist/ under other tests' feet).
 */
describe.skipIf(!registryReachable)("installing the packed tarball", () => {
  /** Packs the project into a fresh temp folder; npm's cache and HOME live there too. */
  async function pack(): Promise<{ tarball: string; npmEnv: Record<string, string> }> {
    const dir = await realpath(await testdir());
    const npmEnv = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      npm_config_cache: path.join(dir, "cache"),
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
      npm_config_audit: "false",
      // `-g --prefix <temp>` would also move npm's global config into the temp prefix, losing this machine's
      // settings (a CA file, a registry mirror): keep reading the one npm reads here.
      npm_config_globalconfig: GLOBAL_CONFIG,
    };
    const packed = await runToCompletion("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], {
      cwd: PROJECT_ROOT,
      env: npmEnv,
    });
    expect(packed.code, packed.stderr).toBe(0);
    return { tarball: path.join(dir, packed.stdout.trim().split("\n").at(-1) ?? ""), npmEnv };
  }

  it("npm install -g from the tarball needs no build step, warns about nothing, and both commands publish a run", async () => {
    const { tarball, npmEnv } = await pack();
    const prefix = await testdir();
    const installed = await runToCompletion("npm", ["install", "-g", "--prefix", prefix, tarball], { env: npmEnv });
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/warn/i);
    const bin = (name: string): string => path.join(prefix, "bin", name);

    const version = await runToCompletion(bin("process-artifacts"), ["--version"], { env: npmEnv });
    expect(version.stdout).toBe(`${VERSION}\n`);

    const hub = await startHubCommand(["--port", "0"], {}, bin("process-artifacts-hub"));
    const runs = await testdir();
    await cp(path.join(PROJECT_ROOT, "examples", "model-runs"), runs, { recursive: true });
    const upload = await runToCompletion(bin("process-artifacts"), ["--only-upload", "--model-dir", runs, "--json"], {
      env: { ...npmEnv, HF_ENDPOINT: hub.info.url, HF_TOKEN: hub.info.token, TMPDIR: await testdir() },
    });
    expect(upload.code, upload.stderr).toBe(0);
    expect(JSON.parse(upload.stdout)).toMatchObject({ status: "uploaded" });
  }, 120_000);

  it("npx --package runs the CLI straight from the tarball", async () => {
    const { tarball, npmEnv } = await pack();
    const result = await runToCompletion("npx", ["--yes", `--package=${tarball}`, "--", "process-artifacts", "-V"], {
      env: npmEnv,
      cwd: await testdir(),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  }, 120_000);
});
