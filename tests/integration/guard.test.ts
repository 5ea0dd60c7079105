import path from "node:path";
import { readdir, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const SIGNALS: Array<Record<string, string>> = [
  { VITEST: "true" },
  { JEST_WORKER_ID: "1" },
  { NODE_ENV: "test" },
  { TESTING: "1" },
  { TESTING: "true" },
  { PYTEST_CURRENT_TEST: "tests/test_x.py::test_upload (call)" },
  { NODE_TEST_CONTEXT: "child-v8" },
];

const PRODUCTION = [
  "https://huggingface.co",
  "https://hf.co",
  "https://HuggingFace.co/",
  "https://api.huggingface.co",
  "http://huggingface.co.",
];

describe("the test-environment guard", () => {
  it.each(SIGNALS)("blocks the production Hub when %o is set, after staging, with zero requests", async (signal) => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    // No token at all: the guard must decide before a token is even needed.
    const result = await runCli(["--only-upload", "--model-dir", models], {
      env: { HF_ENDPOINT: "https://huggingface.co", HF_TOKEN: undefined, ...signal },
    });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("🛑 Upload blocked - test environment detected");
    expect(result.stdout).toContain(`https://huggingface.co/test-blocked/${RUN}`);
    expect(result.stdout).toContain(Object.keys(signal)[0]);
    expect(result.stdout).not.toContain("uploaded successfully");
    expect(seen).toEqual([]);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it.each(PRODUCTION)("treats %s as production", async (endpoint) => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models, "--json"], { env: { HF_ENDPOINT: endpoint, VITEST: "true" } });

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "blocked",
      url: `https://huggingface.co/test-blocked/${RUN}`,
    });
    expect(seen).toEqual([]);
  });

  it("uses repo_prefix in the fake URL when it is configured", async () => {
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const config = await testdir({
      "c.yaml": "huggingface:\n  repo_prefix: olmo-org\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n",
    });

    const result = await runCli(["--model-dir", models, "--config", `${config}/c.yaml`], {
      env: { HF_ENDPOINT: undefined, NODE_ENV: "test" },
    });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`https://huggingface.co/test-blocked/olmo-org/${RUN}`);
  });

  it("still validates the run first: a broken run fails even when the upload would be blocked", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    await writeFile(path.join(run, "training_metadata.json"), "{ not json");

    const result = await runCli(["--model-dir", models], {
      env: { HF_ENDPOINT: "https://huggingface.co", VITEST: "true" },
    });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("training_metadata.json: invalid JSON");
    expect(result.stdout).not.toContain("Upload blocked");
    expect(seen).toEqual([]);
  });

  it("allows a non-production Hub in a test environment, so tests exercise the real upload path", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models], { env: { VITEST: "true", NODE_ENV: "test" } });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Model uploaded successfully");
    expect(commitsAfterInitial(hub.repos.get(`alice/${RUN}`))).toHaveLength(1);
  });

  it("does not mistake a path containing 'test' for a test environment", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const latest = `${models}/latest-tests`;
    await writeMlxRun(latest, RUN);

    const result = await runCli(["--model-dir", latest], { cwd: latest });

    expect(result.exitCode).toBe(0);
    expect(hub.repos.size).toBe(1);
  });
});
