import { randomBytes } from "node:crypto";
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import type { RunFile } from "./inspect-run.js";
import { scanForSecrets } from "./scan-for-secrets.js";

// Built at run time so no token-shaped string sits in the repository.
const TOKEN = `hf_${"A1b2C3d4E5".repeat(4)}`;
const CHUNK = 256 * 1024;

async function runFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<RunFile[]> {
  const out: RunFile[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    await writeFile(abs, content);
    const info = await stat(abs);
    out.push({ rel, abs, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev });
  }
  return out;
}

describe("scanForSecrets: every text file, by content, streamed", () => {
  it("finds tokens in files of any name and size, with the file's line numbers", async () => {
    const dir = await testdir();
    const logLine = "step 100 | loss 1.2345 | lr 1e-5 | tokens/s 12345.6 \n";
    const lines = Math.ceil((18 * 1024 * 1024) / logLine.length);
    // The token straddles the boundary between two reads, so neither read holds it whole.
    const straddle = `${"x".repeat(CHUNK - 10)} ${TOKEN} tail\n`;
    const files = await runFiles(dir, {
      "nohup.out": `starting\nexport HF_TOKEN=${TOKEN}\n`,
      train_log: `epoch 1\nepoch 2\nlogin ${TOKEN}\n`,
      "README.rst": `Usage\n=====\n\n.. code::\n\n   huggingface-cli login --token ${TOKEN}\n`,
      "big.log": `${logLine.repeat(lines)}done, token was ${TOKEN}\n`,
      "straddle.txt": straddle,
      ".env": "WANDB_API_KEY=whatever\n",
      "clean.md": "# nothing to see\n",
    });

    const issues = await scanForSecrets(files);

    const message = (line: number): string =>
      `line ${line}: Hugging Face token (hf_A1b…); remove it — a secret must never be published`;
    expect(issues).toEqual([
      { file: ".env", message: "is an environment file, which holds secrets; remove it from the run" },
      { file: "README.rst", line: 6, message: message(6) },
      { file: "big.log", line: lines + 1, message: message(lines + 1) },
      { file: "nohup.out", line: 2, message: message(2) },
      { file: "straddle.txt", line: 1, message: message(1) },
      { file: "train_log", line: 3, message: message(3) },
    ]);
  });

  it("scans a single line of megabytes in overlapping pieces: a secret at a piece boundary is found exactly once", async () => {
    const dir = await testdir();
    // Pieces are cut once a line holds more than 1 MiB, at the end of a read (here the fifth, at 1,310,720 bytes).
    const boundary = 5 * CHUNK;
    const open = '{"log":"';
    const line =
      open +
      "y".repeat(boundary - 101 - open.length) +
      ` ${TOKEN} ` +
      "y".repeat(100 - 12 - TOKEN.length) +
      ` ${TOKEN} ` +
      "z".repeat(2 * 1024 * 1024) +
      '"}';
    expect(line.indexOf(TOKEN)).toBe(boundary - 100);
    expect(line.lastIndexOf(TOKEN)).toBe(boundary - 10);
    const files = await runFiles(dir, { "one-line.json": line });

    expect((await scanForSecrets(files)).map((issue) => issue.message.slice(0, 26))).toEqual([
      "line 1: Hugging Face token",
      "line 1: Hugging Face token",
    ]);
  });

  it("skips binary files, recognised by content (random bytes, a safetensors header), whatever their name", async () => {
    const dir = await testdir();
    const header = Buffer.from(JSON.stringify({ __metadata__: { note: TOKEN } }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const random = randomBytes(64 * 1024);
    random.write(TOKEN, 40 * 1024, "latin1");
    const files = await runFiles(dir, {
      "weights.txt": random,
      "adapters.safetensors": Buffer.concat([length, header, Buffer.alloc(64)]),
    });

    expect(await scanForSecrets(files)).toEqual([]);
  });
});
