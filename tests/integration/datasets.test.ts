import { readFile } from "node:fs/promises";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { DEFAULT_SPLITS, jsonl, writeStagedRun } from "../helpers/make-staged-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { STAGED_RUN as RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

const MODEL = `alice/${RUN}`;
const DATASET = `alice/${RUN}-training-data`;

function frontMatter(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!match) {
    throw new Error(`no front matter in:\n${card}`);
  }
  return load(match[1] ?? "") as Record<string, unknown>;
}

describe("the run's training data as a linked dataset repo", () => {
  it("publishes stage 2's splits byte for byte to <namespace>/<repo>-training-data, dataset first, linked from the model", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, RUN);

    const result = await runCli(["--only-upload", "--model-dir", models, "--json"]);

    expect(result.exitCode, result.stderr).toBe(0);
    const dataset = hub.repos.get(`datasets/${DATASET}`);
    expect([...(dataset?.files.keys() ?? [])].sort()).toEqual([
      ".gitattributes",
      "README.md",
      "test.jsonl",
      "train.jsonl",
      "valid.jsonl",
    ]);
    for (const file of ["train.jsonl", "valid.jsonl", "test.jsonl"]) {
      expect(await hub.fileContent(`datasets/${DATASET}`, file)).toEqual(
        await readFile(path.join(run, "stage2", "training-data", file)),
      );
    }
    expect([...(hub.repos.get(MODEL)?.files.keys() ?? [])].some((file) => file.endsWith(".jsonl"))).toBe(false);
    // Dataset first: the model card's link resolves the moment the model lands.
    const commits = hub.requests.filter((request) => request.method === "POST" && request.path.includes("/commit/"));
    expect(commits.map((request) => request.path.split("/")[2])).toEqual(["datasets", "models"]);

    const card = (await hub.fileContent(`datasets/${DATASET}`, "README.md")).toString();
    expect(frontMatter(card)).toMatchObject({
      license: "apache-2.0",
      task_categories: ["text-generation"],
      size_categories: ["n<1K"],
      configs: [
        {
          config_name: "default",
          data_files: [
            { split: "train", path: "train.jsonl" },
            { split: "validation", path: "valid.jsonl" },
            { split: "test", path: "test.jsonl" },
          ],
        },
      ],
    });
    expect(card).toContain("| train (`train.jsonl`, ");
    expect(card).toMatch(/\| train \(`train\.jsonl`, [^|]+\) \| 3 \|/);
    expect(card).toContain("| train: high | 2 of 3 |");
    expect(card).toContain("| train: webauthn | 2 of 3 |");
    expect(card).toContain("| test: high | 2 of 2 |");
    expect(card).not.toContain("| validation:");
    expect(card).toContain(`[${MODEL}](https://huggingface.co/${MODEL})`);
    const modelCard = (await hub.fileContent(MODEL, "README.md")).toString();
    expect(frontMatter(modelCard).datasets).toEqual([DATASET]);
    expect(modelCard).toContain(`(https://huggingface.co/datasets/${DATASET})`);

    const json = JSON.parse(result.stdout) as {
      status: string;
      dataset: { status: string; repoId: string; url: string; commit: { oid: string } };
    };
    expect(json.status).toBe("uploaded");
    expect(json.dataset).toMatchObject({
      status: "uploaded",
      repoId: DATASET,
      url: `https://hub.test/datasets/${DATASET}`,
    });
    expect(json.dataset.commit.oid).toBe(commitsAfterInitial(dataset)[0]?.oid);
  });

  it("says both results in text, gives the dataset the model's visibility, and an unchanged re-run commits to neither", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN);

    const first = await runCli(["--model-dir", models, "--private"]);
    const second = await runCli(["--model-dir", models, "--private"], { home: first.home });

    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(`✅ Dataset uploaded successfully: https://hub.test/datasets/${DATASET}`);
    expect(first.stdout).toContain(`✅ Model uploaded successfully: https://hub.test/${MODEL}`);
    expect(hub.repos.get(`datasets/${DATASET}`)?.private).toBe(true);
    expect(hub.repos.get(MODEL)?.private).toBe(true);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain(`✅ Dataset already up to date: https://hub.test/datasets/${DATASET}`);
    expect(second.stdout).toContain("✅ Already up to date");
    expect(commitsAfterInitial(hub.repos.get(`datasets/${DATASET}`))).toHaveLength(1);
    expect(commitsAfterInitial(hub.repos.get(MODEL))).toHaveLength(1);
  });

  it("a flat run's training-data/ goes to the dataset repo, not the model repo", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const name = "webauthn-security-sequential_20250926_120000";
    await writeMlxRun(models, name, {
      extra: Object.fromEntries(Object.entries(DEFAULT_SPLITS).map(([file, text]) => [`training-data/${file}`, text])),
    });

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(
      [...(hub.repos.get(`alice/${name}`)?.files.keys() ?? [])].some((file) => file.startsWith("training-data/")),
    ).toBe(false);
    expect(hub.repos.get(`datasets/alice/${name}-training-data`)?.files.has("train.jsonl")).toBe(true);
  });

  it.each([
    ["--no-datasets", ["--no-datasets"], ""],
    ["huggingface.upload_datasets: false", [], "huggingface:\n  upload_datasets: false\n"],
  ])("%s: no dataset repo, and still no JSONL in the model repo", async (_label, flags, extraConfig) => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN);
    const config = await testdir({
      "c.yaml": `fine_tuning:\n  huggingface:\n    private_repos: false\nbase_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n${extraConfig}`,
    });

    const result = await runCli(["--model-dir", models, "--config", path.join(config, "c.yaml"), ...flags]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect([...hub.repos.keys()]).toEqual([MODEL]);
    expect(frontMatter((await hub.fileContent(MODEL, "README.md")).toString())).not.toHaveProperty("datasets");
  });

  it("under a test runner against the production Hub, both uploads are blocked with fake URLs and no request", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeStagedRun(models, RUN);

    const result = await runCli(["--model-dir", models, "--json"], {
      env: { HF_ENDPOINT: undefined, PYTEST_CURRENT_TEST: "tests/test_upload.py::test_x (call)" },
    });

    expect(result.exitCode, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { status: string; url: string; dataset: { status: string; url: string } };
    expect(json.status).toBe("blocked");
    expect(json.url).toBe(`https://huggingface.co/test-blocked/${RUN}`);
    expect(json.dataset).toMatchObject({
      status: "blocked",
      url: `https://huggingface.co/datasets/test-blocked/${RUN}-training-data`,
    });
    const text = await runCli(["--model-dir", models], { env: { HF_ENDPOINT: undefined, TESTING: "1" } });
    expect(text.stdout).toContain("🛑 Upload blocked - test environment detected");
    expect(text.stdout).toContain(`https://huggingface.co/datasets/test-blocked/${RUN}-training-data`);
    expect(seen).toEqual([]);
  });

  it("when the model fails after the dataset landed, says so; a re-run completes it without a second dataset commit", async () => {
    let failModelCommit = true;
    const hub = useFakeHub({
      intercept: (request) =>
        failModelCommit &&
        request.method === "POST" &&
        new URL(request.url).pathname.startsWith(`/api/models/${MODEL}/commit/`)
          ? new Response(JSON.stringify({ error: "Forbidden: repo is locked" }), {
              status: 403,
              headers: { "content-type": "application/json" },
            })
          : undefined,
    });
    const models = await testdir();
    await writeStagedRun(models, RUN);

    const failed = await runCli(["--model-dir", models, "--json"]);
    expect(commitsAfterInitial(hub.repos.get(MODEL))).toHaveLength(0);
    failModelCommit = false;
    const rerun = await runCli(["--model-dir", models], { home: failed.home });

    expect(failed.exitCode, failed.stderr).toBe(5);
    const datasetOid = commitsAfterInitial(hub.repos.get(`datasets/${DATASET}`))[0]?.oid ?? "";
    expect(failed.stderr).toContain(
      `Error: The training data was published (https://hub.test/datasets/${DATASET}, commit ${datasetOid}), but the model upload failed:`,
    );
    const json = JSON.parse(failed.stdout) as { status: string; landed: Array<{ repoId: string; commit: string }> };
    expect(json.status).toBe("error");
    expect(json.landed).toEqual([{ repoId: DATASET, url: `https://hub.test/datasets/${DATASET}`, commit: datasetOid }]);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain("✅ Dataset already up to date");
    expect(commitsAfterInitial(hub.repos.get(`datasets/${DATASET}`))).toHaveLength(1);
    expect(commitsAfterInitial(hub.repos.get(MODEL))).toHaveLength(1);
  });

  it("puts evaluation figures into model-index only when they were measured on the published test split", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN, { evaluation: true });
    const other = "webauthn-security-sequential-20251016_120000";
    await writeStagedRun(models, other, {
      evaluation: true,
      splits: { ...DEFAULT_SPLITS, "test.jsonl": jsonl([{ a: 1 }, { a: 2 }, { a: 3 }]) },
    });

    const mapped = await runCli(["--model-dir", models, "--run", RUN]);
    const unmapped = await runCli(["--model-dir", models, "--run", other]);

    expect(mapped.exitCode, mapped.stderr).toBe(0);
    expect(unmapped.exitCode, unmapped.stderr).toBe(0);
    const meta = frontMatter((await hub.fileContent(MODEL, "README.md")).toString());
    expect(meta["model-index"]).toEqual([
      {
        name: RUN,
        results: [
          {
            task: { type: "text-generation", name: "Text generation" },
            dataset: { type: DATASET, name: DATASET, split: "test" },
            metrics: [
              { type: "exact_match", name: "Exact match (%)", value: 50 },
              { type: "codebleu", name: "CodeBLEU (mean)", value: 0.375 },
            ],
          },
        ],
      },
    ]);
    // Three test examples published, two evaluated: not the same set, so no model-index claim.
    const otherCard = (await hub.fileContent(`alice/${other}`, "README.md")).toString();
    expect(frontMatter(otherCard)).not.toHaveProperty("model-index");
    expect(otherCard).toContain("| stage2: stage2/evaluation/evaluation_results.json: metrics.avg_codebleu | 0.375 |");
  });
});
