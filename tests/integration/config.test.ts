import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");
const BASE = "huggingface:\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n";

describe("configuration", () => {
  it("finds runs through the project config, expanding ~ against HOME", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const project = await testdir({
      "config/olmo-security-config.yaml": `fine_tuned_models_dir: "~/models/fine-tuned"\n${BASE}`,
    });
    await writeMlxRun(path.join(home, "models", "fine-tuned"), RUN);

    const result = await runCli(["--only-upload"], { home, cwd: project });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${path.join(home, "models", "fine-tuned", RUN)}`);
    expect(hub.repos.has(`alice/${RUN}`)).toBe(true);
  });

  it("falls back to the bundled config, which points at ~/shared-olmo-models under the (temp) HOME", async () => {
    const seen = recordAllRequests();
    const home = await testdir();
    const cwd = await testdir();

    const result = await runCli(["--only-upload"], { home, cwd });

    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(
      `Models directory does not exist: ${path.join(home, "shared-olmo-models", "fine-tuned")}`,
    );
    // Nothing was created under the fake HOME: the tool never writes next to the runs.
    expect(await readdir(home)).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("OLMO_FINE_TUNED_MODELS_DIR overrides the config file", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const project = await testdir({
      "config/olmo-security-config.yaml": `fine_tuned_models_dir: /does/not/exist\n${BASE}`,
    });

    const result = await runCli(["--dry-run"], { cwd: project, env: { OLMO_FINE_TUNED_MODELS_DIR: models } });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(path.join(models, RUN));
  });

  it("--config beats OLMO_CONFIG", async () => {
    const dir = await testdir({
      "a.yaml": "fine_tuned_models_dir: /from-flag\n",
      "b.yaml": "fine_tuned_models_dir: /from-env\n",
    });
    const result = await runCli(["--config", path.join(dir, "a.yaml")], {
      env: { OLMO_CONFIG: path.join(dir, "b.yaml") },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("/from-flag");
  });

  it("names the key, the expected type and the file for a wrong type, exit 2", async () => {
    const seen = recordAllRequests();
    const project = await testdir({
      "config/olmo-security-config.yaml": 'fine_tuned_models_dir: /x\nhuggingface:\n  private_repos: "yes"\n',
    });

    const result = await runCli(["--only-upload"], { cwd: project });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'huggingface.private_repos: expected boolean, got "yes" (config/olmo-security-config.yaml)',
    );
    expect(seen).toEqual([]);
  });

  it("lists every config problem at once", async () => {
    const project = await testdir({
      "config/olmo-security-config.yaml":
        "fine_tuned_models_dir: 42\nhuggingface:\n  upload_enabled: maybe\n  base_model_hf_id: /Users/me/OLMo\n",
    });
    const result = await runCli([], { cwd: project });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("has 3 problems");
    expect(result.stderr).toContain("fine_tuned_models_dir: expected string, got 42");
    expect(result.stderr).toContain('huggingface.upload_enabled: expected boolean, got "maybe"');
    expect(result.stderr).toContain("huggingface.base_model_hf_id: must be a Hub model id");
  });

  it("warns about unknown keys without failing", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const project = await testdir({
      "config/olmo-security-config.yaml": `fine_tuned_models_dir: ${models}\nfine_tuning:\n  lora: {rank: 8}\nhugingface: {}\nhuggingface:\n  privat_repos: true\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n`,
    });

    const result = await runCli([], { cwd: project });

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Warning: hugingface: unknown key, ignored (config/olmo-security-config.yaml)");
    expect(result.stderr).toContain("Warning: huggingface.privat_repos: unknown key, ignored");
    expect(result.stderr).not.toContain("fine_tuning");
  });

  it.each([
    ["a missing file", "missing.yaml", undefined, /Config file not found: .*missing\.yaml \(from --config\)/],
    ["bad YAML", "bad.yaml", "fine_tuned_models_dir: [unclosed\n", /bad\.yaml is not valid YAML/],
    ["a list instead of a mapping", "list.yaml", "- a\n- b\n", /must be a YAML mapping/],
    ["an empty file", "empty.yaml", "", /empty\.yaml is empty/],
  ])("fails clearly on %s (exit 2, one line)", async (_label, name, content, message) => {
    const dir = await testdir(content === undefined ? {} : { [name]: content });
    const result = await runCli(["--config", path.join(dir, name)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("fails clearly when the config path is a directory", async () => {
    const dir = await testdir();
    await mkdir(path.join(dir, "cfg"));
    const result = await runCli(["--config", path.join(dir, "cfg")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("is a directory");
  });

  it("rejects a bad HF_ENDPOINT", async () => {
    const result = await runCli(["--dry-run"], { env: { HF_ENDPOINT: "not a url" } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('HF_ENDPOINT is not a valid URL: "not a url"');
  });

  it("upload_enabled: false validates and stages, then skips loudly", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const config = await testdir({
      "c.yaml": "huggingface:\n  upload_enabled: false\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n",
    });
    await writeFile(path.join(config, "unused"), "");

    const result = await runCli(["--model-dir", models, "--config", path.join(config, "c.yaml")]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("🛑 Upload skipped (huggingface.upload_enabled is false in");
    expect(seen).toEqual([]);
  });

  it("reads the pipeline's own config file: namespace and privacy from fine_tuning.huggingface, base model from the env", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const project = await testdir({
      "config/olmo-security-config.yaml": await readFile(path.join(FIXTURES, "pipeline-config.yaml"), "utf8"),
    });
    await writeMlxRun(path.join(home, "shared-olmo-models", "fine-tuned"), RUN);

    const result = await runCli(["--only-upload", "--verbose"], {
      home,
      cwd: project,
      env: { OLMO_BASE_MODEL_HF_ID: "allenai/OLMo-2-0425-1B-Instruct" },
    });

    expect(result.exitCode, result.stderr).toBe(0);
    const repo = hub.repos.get(`olmo-org/${RUN}`);
    expect(repo?.private).toBe(true);
    expect(result.stdout).toContain("(created, private)");
    expect(result.stderr).toContain(
      "Visibility of new repos: private (from fine_tuning.huggingface.private_repos in config/olmo-security-config.yaml)",
    );
    expect(result.stderr).toContain("fine_tuning.huggingface.skip_in_daemon: ignored");
    expect(result.stderr).not.toMatch(/Warning:/);
    expect((await hub.fileContent(`olmo-org/${RUN}`, "adapter_config.json")).toString()).toContain(
      '"base_model_name_or_path": "allenai/OLMo-2-0425-1B-Instruct"',
    );
  });

  it("refuses a config whose two layouts disagree on privacy: exit 2, both keys and the file named, no request", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const project = await testdir({
      "config/olmo-security-config.yaml": `${BASE}  private_repos: false\nfine_tuning:\n  huggingface:\n    private_repos: true\n`,
    });

    const result = await runCli(["--model-dir", models], { cwd: project });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      "Error: huggingface.private_repos is false but fine_tuning.huggingface.private_repos is true (config/olmo-security-config.yaml); keep one of them",
    );
    expect(seen).toEqual([]);
  });
});
