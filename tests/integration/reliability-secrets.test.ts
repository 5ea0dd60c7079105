import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashTree } from "../helpers/hash-tree.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";

// Built at run time so no token-shaped string sits in the repository.
const FAKE_HF = `hf_${"Z9y8X7w6V5".repeat(4)}`;

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
