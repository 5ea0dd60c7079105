import { createHash, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { mlxLoraTensors, writeFusedRun, writeMlxRun } from "../helpers/make-run.js";
import { writeStagedRun } from "../helpers/make-staged-run.js";
import { runCli } from "../helpers/run-cli.js";
import { buildSafetensors } from "../helpers/safetensors-builder.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { REPO, RUN, STAGED_RUN } from "../helpers/fixtures.js";

// Built at run time so no secret-shaped string sits in the repository.
const FAKE_HF = `hf_${"Z9y8X7w6V5".repeat(4)}`;
const FAKE_WANDB = "9f8e7d6c5b4a3210".repeat(3).slice(0, 40);
const FAKE_AWS = `AKIA${"ZXCVBNMASDFGHJKL"}`;
const GIT_ID = createHash("sha1").update("the training code's commit").digest("hex");
const SHA256 = createHash("sha256").update("adapters.safetensors").digest("hex");

/** The 1-based line of `text` that holds `needle`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at, `"${needle}" is in the text`).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split("\n").length;
}

/** A Jupyter notebook whose cell printed `stream` and drew a PNG, as nbformat 4 stores them. */
function notebook(stream: string[] | string, png: Buffer): string {
  return JSON.stringify(
    {
      cells: [
        {
          cell_type: "code",
          execution_count: 1,
          metadata: {},
          source: ["import wandb\n", "wandb.init(project='olmo')\n", "plot(losses)"],
          outputs: [
            { output_type: "stream", name: "stderr", text: stream },
            {
              output_type: "display_data",
              metadata: {},
              data: { "image/png": png.toString("base64"), "text/plain": ["<Figure size 640x480 with 1 Axes>"] },
            },
          ],
        },
      ],
      metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/** PNG signature and IHDR, then noise: what a plot's bytes look like to a scanner. */
function pngBytes(): Buffer {
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a0000000d4948445200000280000001e00806000000", "hex"),
    randomBytes(6000),
  ]);
}

describe("secrets in every text file", () => {
  it("finds tokens whatever the file is called and however large it is; binary files are not reported", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    const logLine = "iter 120: train loss 1.234, it/s 3.21, peak mem 12.3 GB\n";
    const lines = Math.ceil((18 * 1024 * 1024) / logLine.length);
    const binary = randomBytes(256 * 1024);
    binary.write(FAKE_HF, 100_000, "latin1");
    const run = await writeMlxRun(models, RUN, {
      extra: {
        "nohup.out": `loading\nHF_TOKEN=${FAKE_HF} python train.py\n`,
        "logs/stderr": `warning: x\n${FAKE_HF}\n`,
        "README.rst": `Training\n========\n\nhuggingface-cli login --token ${FAKE_HF}\n`,
        "logs/train.log": `${logLine.repeat(lines)}pushed with ${FAKE_HF}\n`,
        "data/blob.dat": binary,
      },
    });
    const before = await hashTree(run);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("(4 problems)");
    const hit = (file: string, line: number): string =>
      `  - ${file}: line ${line}: Hugging Face token (hf_Z9y…); remove it — a secret must never be published`;
    expect(result.stderr).toContain(hit("README.rst", 4));
    expect(result.stderr).toContain(hit("logs/stderr", 2));
    expect(result.stderr).toContain(hit("logs/train.log", lines + 1));
    expect(result.stderr).toContain(hit("nohup.out", 2));
    expect(result.stderr).not.toContain("data/blob.dat");
    expect(`${result.stdout}${result.stderr}`).not.toContain(FAKE_HF);
    expect(seen).toEqual([]);
    expect(await hashTree(run)).toEqual(before);
  });
});

describe("secrets wherever they hide", () => {
  it("finds them in notebooks, configs, JSONL records, base64, gzip, safetensors headers and UTF-16: one masked line each, nothing sent", async () => {
    // A Hub to publish to, so that a miss shows as a publish (exit 0) and every request is seen.
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    const ipynb = notebook(
      [
        "wandb: Currently logged in as: trainer\n",
        `wandb: Appending key for api.wandb.ai to your netrc: ${FAKE_WANDB}\n`,
        `step 1\nWANDB_API_KEY=${FAKE_WANDB}\n`,
      ],
      pngBytes(),
    );
    const record = (content: string): string =>
      `${JSON.stringify({
        messages: [
          { role: "user", content },
          { role: "assistant", content: "ok" },
        ],
      })}\n`;
    const trainJsonl = record("Review this handler.") + record(`set up with:\nWANDB_API_KEY=${FAKE_WANDB}\nthen run`);
    const events = `${JSON.stringify({ event: "push", authorization: Buffer.from(`Bearer ${FAKE_HF}`).toString("base64") })}\n`;
    const trainLog = `${"step 10 loss 1.5\n".repeat(20_000)}env: AWS_ACCESS_KEY_ID=${FAKE_AWS}\n`;
    const run = await writeMlxRun(models, RUN, {
      extra: {
        "notebooks/train.ipynb": ipynb,
        "training-data/train.jsonl": trainJsonl,
        "training-data/valid.jsonl": record("Valid example."),
        "logs/events.jsonl": events,
        "logs/train.log.gz": gzipSync(trainLog),
        "adapters/adapters.safetensors": buildSafetensors(mlxLoraTensors(), {
          style: "mlx",
          metadata: { pushed_with: FAKE_HF },
        }),
        "notes-utf16.txt": Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(`Notes\r\nHF_TOKEN=${FAKE_HF}\r\n`, "utf16le"),
        ]),
      },
    });
    const configPath = path.join(run, "adapters", "adapter_config.json");
    const config = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
    const configText = JSON.stringify({ ...config, wandb: { project: "olmo", api_key: FAKE_WANDB } }, null, 4);
    await writeFile(configPath, configText);
    const before = await hashTree(run);

    const result = await runCli(["--model-dir", models, "--verbose"]);

    expect(result.exitCode).toBe(3);
    const problems = result.stderr.split("\n").filter((line) => line.startsWith("  - "));
    const end = "; remove it — a secret must never be published";
    expect(problems.sort()).toEqual(
      [
        `  - adapters/adapter_config.json: line ${lineOf(configText, "api_key")}: W&B API key (9f8e7d…)${end}`,
        `  - adapters/adapters.safetensors: in its safetensors header: Hugging Face token (hf_Z9y…)${end}`,
        `  - logs/events.jsonl: line 1 (base64-encoded): Hugging Face token (hf_Z9y…)${end}`,
        `  - logs/train.log.gz: line 20001 of its decompressed text: AWS access key id (AKIAZX…)${end}`,
        `  - notebooks/train.ipynb: line ${lineOf(ipynb, "netrc")}: W&B API key (9f8e7d…)${end}`,
        `  - notebooks/train.ipynb: line ${lineOf(ipynb, "WANDB_API_KEY")} (escaped): W&B API key (9f8e7d…)${end}`,
        `  - notes-utf16.txt: line 2: Hugging Face token (hf_Z9y…)${end}`,
        `  - training-data/train.jsonl: line 2 (escaped): W&B API key (9f8e7d…)${end}`,
      ].sort(),
    );
    expect(result.stderr).toContain(`(${problems.length} problems)`);
    const output = `${result.stdout}${result.stderr}`;
    for (const secret of [FAKE_HF, FAKE_WANDB, FAKE_AWS]) {
      expect(output).not.toContain(secret);
    }
    expect(seen).toEqual([]);
    expect(await hashTree(run)).toEqual(before);
  });

  it("refuses a token in run-manifest.json's training params, which the model card would print", async () => {
    // A Hub to publish to, so that a miss shows as a publish (exit 0) and every request is seen.
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    const run = await writeStagedRun(models, STAGED_RUN, {
      manifest: (manifest) => ({
        ...manifest,
        stage2: {
          ...(manifest.stage2 as Record<string, unknown>),
          training_params: { learning_rate: 1e-6, iters: 1200, hub_token: FAKE_HF },
        },
      }),
    });
    const manifestText = await readFile(path.join(run, "run-manifest.json"), "utf8");

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("(1 problem)");
    expect(result.stderr).toContain(
      `  - run-manifest.json: line ${lineOf(manifestText, "hub_token")}: Hugging Face token (hf_Z9y…); remove it`,
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(FAKE_HF);
    expect(seen).toEqual([]);
  });

  it("checks what the tool writes itself: a secret that only a generated file would carry is refused before it is sent", async () => {
    // A Hub to publish to, so that a miss shows as a publish (exit 0) and every request is seen.
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);
    // A token pasted where the base model's Hub id belongs: it is shaped like one, so it would be
    // written into the converted adapter_config.json and the card; no run file holds it.
    const result = await runCli(["--model-dir", models], {
      env: { OLMO_BASE_MODEL_HF_ID: `${FAKE_HF}/OLMo-2-1B` },
    });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(
      /\n {2}- adapter_config\.json \(converted\): line \d+: Hugging Face token \(hf_Z9y…\); remove it/,
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(FAKE_HF);
    expect(seen).toEqual([]);
  });

  it("checks the cards before the first request: a fused model's card is the only file to carry the base model id", async () => {
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    await writeFusedRun(path.join(models, RUN));

    const result = await runCli(["--model-dir", models], {
      env: { OLMO_BASE_MODEL_HF_ID: `${FAKE_HF}/OLMo-2-1B` },
    });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(
      /\n {2}- README\.md \(generated\): line \d+: Hugging Face token \(hf_Z9y…\); remove it/,
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(FAKE_HF);
    // Not even the token's owner was asked.
    expect(seen).toEqual([]);
  });

  it("checks the cards once the repo ids are known: a token in the repo prefix never reaches the Hub", async () => {
    // A Hub to publish to, so that a miss shows as a publish (exit 0) and every request is seen.
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN, {
      extra: { "training-data/train.jsonl": '{"text": "a"}\n', "training-data/valid.jsonl": '{"text": "b"}\n' },
    });
    const config = await testdir({
      "c.yaml": `huggingface:\n  repo_prefix: ${FAKE_HF}\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n`,
    });

    const result = await runCli(["--model-dir", models, "--config", `${config}/c.yaml`]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/\n {2}- README\.md \(generated\): line \d+: Hugging Face token \(hf_Z9y…\)/);
    expect(result.stderr).toMatch(
      /\n {2}- dataset repo README\.md \(generated\): line \d+: Hugging Face token \(hf_Z9y…\)/,
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(FAKE_HF);
    expect(seen).toEqual([]);
  });

  it("publishes hashes, ids and encoded images: git commits, sha256s, a notebook's PNG, binary base64, UTF-16 and gzip text", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const ipynb = notebook(
      [
        `wandb: Syncing run olmo-42 (commit ${GIT_ID})\n`,
        `wandb: Run data is saved locally in ./wandb/run-${SHA256.slice(0, 8)}\n`,
      ],
      pngBytes(),
    );
    const files: Record<string, string | Buffer> = {
      "notebooks/eval.ipynb": ipynb,
      "logs/train.log": `git commit ${GIT_ID}\nsha256 ${SHA256}  adapters.safetensors\ncheckpoint_sha=${createHash("sha1").update("x").digest("hex")}\n`,
      "logs/events.jsonl": `${JSON.stringify({ event: "saved", digest: randomBytes(48).toString("base64"), id: randomBytes(30).toString("base64url") })}\n`,
      "logs/train.log.gz": gzipSync(`step 1 loss 2.0\ncommit ${GIT_ID}\n`),
      "notes-utf16.txt": Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`Notes: trained at ${GIT_ID}\r\n`, "utf16le"),
      ]),
    };
    await writeMlxRun(models, RUN, { extra: files });

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    for (const [file, content] of Object.entries(files)) {
      expect(await hub.fileContent(REPO, file)).toEqual(Buffer.from(content));
    }
  });
});
