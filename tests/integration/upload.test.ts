import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { DEFAULT_TOKEN, runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

describe("process-artifacts --only-upload against a mocked Hub", () => {
  it("uploads the run in one commit, byte for byte, and leaves the run untouched", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, {
      checkpoint: true,
      extra: { ".DS_Store": "x", "logs/train.log": "step 1\n" },
    });
    const before = await hashTree(run);

    const result = await runCli(["--only-upload", "--model-dir", models]);

    // The upload is announced before it starts, and nothing else is said: no warning, no retry.
    expect(result.stderr).toMatch(new RegExp(`^Publishing ${RUN} to alice/${RUN} \\(7 files, [\\d.]+ KiB\\)\n$`));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${run}`);
    expect(result.stdout).toContain(`✅ Model uploaded successfully: https://hub.test/alice/${RUN}`);
    const repo = hub.repos.get(`alice/${RUN}`);
    const [commit, ...more] = commitsAfterInitial(repo);
    expect(more).toEqual([]);
    expect(commit?.title).toContain(RUN);
    expect([...(repo?.files.keys() ?? [])].sort()).toEqual([
      ".gitattributes",
      "README.md",
      "adapter_config.json",
      "adapter_model.safetensors",
      "logs/train.log",
      "mlx/adapter_config.json",
      "mlx/adapters.safetensors",
      "training_metadata.json",
    ]);

    // The weights went through Xet storage (the Hub offers it, as it does every client), named by their
    // sha256 as LFS files, and arrived bit-exact.
    const weights = await readFile(path.join(run, "adapters", "adapters.safetensors"));
    expect(repo?.files.get("mlx/adapters.safetensors")?.lfs?.oid).toBe(sha256(weights));
    expect(sha256(await hub.fileContent(`alice/${RUN}`, "mlx/adapters.safetensors"))).toBe(sha256(weights));
    expect(hub.count("PUT", /^\/__lfs\//)).toBe(0);
    expect(hub.count("POST", /^\/__xet\/v1\/xorbs\/default\//)).toBe(1);
    expect(hub.count("POST", /^\/__xet\/v[12]\/shards$/)).toBe(1);
    expect(await hub.fileContent(`alice/${RUN}`, "logs/train.log")).toEqual(Buffer.from("step 1\n"));

    // Configs are sanitized: no local path of the training machine leaves it.
    for (const file of ["mlx/adapter_config.json", "adapter_config.json", "training_metadata.json", "README.md"]) {
      const text = (await hub.fileContent(`alice/${RUN}`, file)).toString("utf8");
      expect(text, file).not.toMatch(/\/Users\/|shared-olmo-models/);
    }
    const config = JSON.parse(
      (await hub.fileContent(`alice/${RUN}`, "mlx/adapter_config.json")).toString("utf8"),
    ) as Record<string, unknown>;
    expect(config.model).toBe("allenai/OLMo-2-0425-1B-Instruct");
    expect(config).not.toHaveProperty("adapter_path");
    expect(config).not.toHaveProperty("data");
    expect(config.lora_parameters).toEqual({ rank: 8, dropout: 0, scale: 20 });

    const readme = (await hub.fileContent(`alice/${RUN}`, "README.md")).toString("utf8");
    expect(readme).toMatch(/^---\n[\s\S]*base_model: allenai\/OLMo-2-0425-1B-Instruct\n/);
    expect(readme).toContain("library_name: peft");
    expect(readme).toContain("pipeline_tag: text-generation");
    expect(readme).toContain("license: apache-2.0");
    expect(readme).toContain("| hyperparameters.learning_rate | 0.0002 |");

    expect(await hashTree(run)).toEqual(before);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it("treats an existing repo (409 on create) as fine and commits into it", async () => {
    const hub = useFakeHub({
      // The repo appears between our look and our create, as when two machines upload at once.
      intercept: (request, emulator) => {
        if (new URL(request.url).pathname === "/api/repos/create" && !emulator.repos.has(`alice/${RUN}`)) {
          emulator.addRepo({ id: `alice/${RUN}` });
        }
        return undefined;
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--only-upload", "--model-dir", models]);

    expect(result.exitCode).toBe(0);
    expect(hub.requests.filter((r) => r.path === "/api/repos/create").map((r) => r.status)).toEqual([409]);
    expect(result.stdout).toContain("(existing, public)");
    expect(commitsAfterInitial(hub.repos.get(`alice/${RUN}`))).toHaveLength(1);
  });

  it("uploads into a repo named after the run that holds only the Hub's initial commit, without reading its history", async () => {
    const hub = useFakeHub();
    hub.addRepo({ id: `alice/${RUN}` });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--only-upload", "--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.count("GET", /\/commits\//)).toBe(0);
    expect(commitsAfterInitial(hub.repos.get(`alice/${RUN}`))).toHaveLength(1);
  });

  it("refuses a repo named after the run whose last commit holds another run, and commits nothing", async () => {
    const hub = useFakeHub();
    const repo = hub.addRepo({ id: `alice/${RUN}` });
    const initial = repo.branches.get("main");
    const files = new Map(repo.treeAt(initial));
    const content = Buffer.from("another run's notes\n");
    files.set("notes.txt", { size: content.byteLength, gitOid: "a".repeat(40), lfs: undefined, content });
    repo.allCommits.set("b".repeat(40), {
      oid: "b".repeat(40),
      title: "Upload webauthn-security-sequential_20240101_000000",
      description: "Process-Artifacts-Run: webauthn-security-sequential_20240101_000000",
      parent: initial,
      declaredParent: undefined,
      branch: "main",
      pullRequest: false,
      date: new Date(0).toISOString(),
      author: "alice",
      operations: [{ key: "file", path: "notes.txt" }],
      files,
    });
    repo.branches.set("main", "b".repeat(40));
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--only-upload", "--model-dir", models]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `alice/${RUN} already holds the upload of another run (webauthn-security-sequential_20240101_000000); refusing to put ${RUN} into it`,
    );
    expect(hub.count("POST", /\/commit\//)).toBe(0);
    expect(repo.branches.get("main")).toBe("b".repeat(40));
  });

  it("uses repo_prefix from the config and creates private repos on request", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const config = await testdir({
      "c.yaml":
        "fine_tuned_models_dir: /nonexistent\nhuggingface:\n  repo_prefix: olmo-org\n  private_repos: true\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n",
    });

    const result = await runCli(["--only-upload", "--model-dir", models, "--config", path.join(config, "c.yaml")]);

    expect(result.exitCode).toBe(0);
    expect(hub.repos.get(`olmo-org/${RUN}`)?.private).toBe(true);
    expect(hub.count("GET", /whoami/)).toBe(0);
  });

  it("prints one JSON object on stdout with --json", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models, "--json"]);

    expect(result.exitCode).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      status: string;
      repoId: string;
      commit: { oid: string };
      files: Array<{ path: string }>;
    };
    expect(parsed.status).toBe("uploaded");
    expect(parsed.repoId).toBe(`alice/${RUN}`);
    expect(parsed.commit.oid).toMatch(/^[0-9a-f]{40}$/);
    expect(parsed.files.map((file) => file.path)).toContain("adapter_model.safetensors");
  });

  it("never prints the token, even in verbose mode and on errors", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    const ok = await runCli(["--model-dir", models, "--verbose"]);
    const rejected = await runCli(["--model-dir", models, "--verbose", "--token", "hf_fake_revoked_by_the_hub"]);

    expect(ok.exitCode).toBe(0);
    expect(rejected.exitCode).toBe(5);
    expect(rejected.stderr).toMatch(/rejected the token \(401\)/);
    for (const output of [ok.stdout, ok.stderr, rejected.stdout, rejected.stderr]) {
      expect(output).not.toContain(DEFAULT_TOKEN);
      expect(output).not.toContain("hf_fake_revoked_by_the_hub");
    }
    expect(hub.requests.some((r) => r.authorization === "Bearer hf_fake_revoked_by_the_hub")).toBe(true);
  });
});
