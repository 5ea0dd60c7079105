import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { commit, createRepo } from "@huggingface/hub";
import { beforeAll, describe, expect, it } from "vitest";
import type { HubStateJson } from "../../emulator/describe-hub-state.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runHubCommand } from "../helpers/run-hub-command.js";
import { HUB_BIN, startHubCommand, type HubInfo } from "../helpers/start-hub-command.js";
import { testdir } from "../helpers/testdir.js";
import { CLI_BIN as CLI, RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

async function state(info: HubInfo): Promise<HubStateJson> {
  return (await (await fetch(`${info.url}/__emulator/state`)).json()) as HubStateJson;
}

/** The built upload CLI against the emulator, as a pipeline runs it: a child process, HF_ENDPOINT at the emulator. */
function upload(
  info: HubInfo,
  models: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "--only-upload", "--model-dir", models], {
      env: { PATH: process.env.PATH ?? "", HF_ENDPOINT: info.url, HF_TOKEN: info.token, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("process-artifacts-hub (the built command)", () => {
  beforeAll(() => {
    if (!existsSync(HUB_BIN) || !existsSync(CLI)) {
      throw new Error(`${HUB_BIN} or ${CLI} is missing: run "npm run build" first (npm test does it)`);
    }
  });

  it("prints one JSON line with a loopback URL, a fresh fake token and the user, and serves that user", async () => {
    const tmp = await testdir();
    const hub = await startHubCommand(["--port", "0", "--user", "carol"], { TMPDIR: tmp });

    const whoami = await fetch(`${hub.info.url}/api/whoami-v2`, {
      headers: { authorization: `Bearer ${hub.info.token}` },
    });
    const anonymous = await fetch(`${hub.info.url}/api/whoami-v2`);

    expect(Object.keys(hub.info)).toEqual(["url", "token", "user", "data"]);
    expect(hub.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.info.token).toMatch(/^hf_emulator[0-9a-f]{24}$/);
    expect(hub.info.user).toBe("carol");
    expect(path.dirname(hub.info.data)).toBe(tmp);
    expect(hub.stdout()).toBe(`${JSON.stringify(hub.info)}\n`);
    expect(hub.stderr()).toContain(`listening on ${hub.info.url}`);
    expect(hub.stderr()).not.toContain(hub.info.token);
    expect(((await whoami.json()) as { name: string }).name).toBe("carol");
    expect(anonymous.status).toBe(401);
    const second = await startHubCommand([], { TMPDIR: tmp });
    expect(second.info.token).not.toBe(hub.info.token);
    expect(second.info.url).not.toBe(hub.info.url);
    expect(await second.stop()).toBe(0);
    expect(await hub.stop()).toBe(0);
  });

  it("serves an upload by the built process-artifacts CLI end to end, read back through state and resolve", async () => {
    const tmp = await testdir();
    const hub = await startHubCommand([], { TMPDIR: await testdir() });
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);

    const result = await upload(hub.info, models, { HOME: await testdir(), TMPDIR: tmp });

    expect(result.code, result.out).toBe(0);
    expect(result.out).not.toContain(hub.info.token);
    const repo = (await state(hub.info)).repos.find((r) => r.id === `alice/${RUN}`);
    const adapter = await readFile(path.join(run, "adapters", "adapters.safetensors"));
    expect(commitsAfterInitial(repo)).toHaveLength(1);
    expect(repo?.files.find((f) => f.path === "mlx/adapters.safetensors")).toMatchObject({
      size: adapter.byteLength,
      sha256: sha256(adapter),
      lfs: true,
    });
    expect(repo?.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["README.md", "adapter_config.json", "adapter_model.safetensors"]),
    );
    const resolved = await fetch(`${hub.info.url}/alice/${RUN}/resolve/main/mlx/adapters.safetensors`);
    expect(sha256(new Uint8Array(await resolved.arrayBuffer()))).toBe(sha256(adapter));
    expect(await readdir(tmp)).toEqual([]);
  });

  it.each<NodeJS.Signals>(["SIGTERM", "SIGINT"])(
    "%s stops it with exit 0 and removes its temp data folder",
    async (signal) => {
      const tmp = await testdir();
      const hub = await startHubCommand([], { TMPDIR: tmp });
      await createRepo({ hubUrl: hub.info.url, accessToken: hub.info.token, repo: "alice/x" });
      expect(existsSync(path.join(hub.info.data, "state.json"))).toBe(true);

      expect(await hub.stop(signal)).toBe(0);
      expect(await readdir(tmp)).toEqual([]);
      expect(hub.stderr()).toContain(`${signal}: stopping`);
    },
  );

  it.each([["0.0.0.0"], ["192.168.1.10"], ["example.com"]])(
    "refuses --host %s: one line, exit 2, nothing listens",
    async (host) => {
      const result = await runHubCommand(["--host", host]);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `process-artifacts-hub: --host ${host} is not a loopback address; the emulator listens only on 127.0.0.1, ::1 or localhost\n`,
      );
    },
  );

  it("--help explains every option and exits 0", async () => {
    const result = await runHubCommand(["--help"]);

    expect(result.code).toBe(0);
    for (const option of [
      "--port",
      "--host",
      "--data",
      "--token",
      "--user",
      "--fault-rate",
      "--fault-route",
      "--latency-ms",
      "--seed",
      "--lfs-threshold",
      "--no-xet",
    ]) {
      expect(result.stdout).toContain(option);
    }
  });

  it("--data keeps repos, refs, commits and LFS objects across restarts, and the folder on exit", async () => {
    const data = await testdir();
    const first = await startHubCommand(["--data", data, "--token", "hf_fake_persist_token", "--lfs-threshold", "16"]);
    const auth = { hubUrl: first.info.url, accessToken: "hf_fake_persist_token" };
    await createRepo({ ...auth, repo: { type: "dataset", name: "alice/kept" } });
    const made = await commit({
      ...auth,
      repo: { type: "dataset", name: "alice/kept" },
      title: "keep me",
      useXet: false,
      operations: [
        { operation: "addOrUpdate", path: "big.txt", content: new Blob(["this is more than sixteen bytes"]) },
        { operation: "addOrUpdate", path: "small.txt", content: new Blob(["tiny"]) },
      ],
    });
    await fetch(`${first.info.url}/api/datasets/alice/kept/tag/main`, {
      method: "POST",
      headers: { authorization: "Bearer hf_fake_persist_token", "content-type": "application/json" },
      body: JSON.stringify({ tag: "v1" }),
    });
    const discussion = await fetch(`${first.info.url}/api/datasets/alice/kept/discussions`, {
      method: "POST",
      headers: { authorization: "Bearer hf_fake_persist_token", "content-type": "application/json" },
      body: JSON.stringify({ title: "Kept too", description: "with its first comment", pullRequest: true }),
    });
    expect(discussion.status).toBe(200);
    const details = async (url: string): Promise<unknown> =>
      (await fetch(`${url}/api/datasets/alice/kept/discussions/1`)).json();
    const detailsBefore = await details(first.info.url);
    const before = await state(first.info);
    expect(await first.stop()).toBe(0);

    const second = await startHubCommand(["--data", data, "--token", "hf_fake_persist_token"]);
    const after = await state(second.info);
    expect(after.repos[0]?.discussions).toEqual([
      { num: 1, title: "Kept too", status: "draft", isPullRequest: true, author: "alice" },
    ]);
    expect(await details(second.info.url)).toEqual(detailsBefore);
    const big = await fetch(`${second.info.url}/datasets/alice/kept/resolve/v1/big.txt`);

    expect(second.info.data).toBe(data);
    expect(after).toEqual(before);
    expect(after.repos[0]).toMatchObject({ key: "datasets/alice/kept", tags: { v1: made?.commit.oid } });
    expect(after.repos[0]?.files.map((f) => [f.path, f.lfs])).toEqual([
      [".gitattributes", false],
      ["big.txt", true],
      ["small.txt", false],
    ]);
    expect(await big.text()).toBe("this is more than sixteen bytes");
    expect(await (await fetch(`${second.info.url}/datasets/alice/kept/resolve/main/small.txt`)).text()).toBe("tiny");
    expect(await second.stop()).toBe(0);
    expect(await readdir(data)).toEqual(expect.arrayContaining(["state.json", "blobs", "lfs"]));
  });

  it("--fault-rate with --seed fails the same requests on every run; another seed, other requests", async () => {
    const statuses = async (args: string[]): Promise<string[]> => {
      const hub = await startHubCommand(args);
      const out: string[] = [];
      for (let i = 0; i < 24; i++) {
        const path = i % 2 === 0 ? "/api/whoami-v2" : "/api/models/alice/none";
        const status = await fetch(`${hub.info.url}${path}`, {
          headers: { authorization: `Bearer ${hub.info.token}` },
        }).then(
          (response) => String(response.status),
          () => "dropped",
        );
        out.push(status);
      }
      expect(await hub.stop()).toBe(0);
      return out;
    };

    const first = await statuses(["--fault-rate", "0.5", "--seed", "7"]);
    const again = await statuses(["--fault-rate", "0.5", "--seed", "7"]);
    const other = await statuses(["--fault-rate", "0.5", "--seed", "8"]);
    const onlyModels = await statuses(["--fault-rate", "1", "--fault-route", "^GET /api/models/"]);

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(2);
    expect(first.filter((status) => ["429", "500", "503", "dropped"].includes(status)).length).toBeGreaterThan(0);
    expect(onlyModels.filter((_, i) => i % 2 === 0)).toEqual(Array<string>(12).fill("200"));
    expect(onlyModels.filter((_, i) => i % 2 === 1).every((status) => status !== "404")).toBe(true);
  });

  it("an upload through --fault-rate and --latency-ms still lands byte for byte, thanks to the CLI's retries", async () => {
    const hub = await startHubCommand(["--fault-rate", "0.2", "--seed", "3", "--latency-ms", "5"]);
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);

    const result = await upload(hub.info, models, {
      HOME: await testdir(),
      TMPDIR: await testdir(),
      PROCESS_ARTIFACTS_RETRY_BASE_MS: "1",
    });

    expect(result.code, result.out).toBe(0);
    expect(hub.stderr()).toMatch(/fault: (429|500|503|drop) for /);
    const repo = (await state(hub.info)).repos[0];
    expect(commitsAfterInitial(repo)).toHaveLength(1);
    const adapter = await readFile(path.join(run, "adapters", "adapters.safetensors"));
    expect(repo?.files.find((f) => f.path === "mlx/adapters.safetensors")?.sha256).toBe(sha256(adapter));
  });
});
