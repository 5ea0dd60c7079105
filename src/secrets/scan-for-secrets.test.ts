import { randomBytes } from "node:crypto";
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import type { RunFile } from "../runs/inspect-run.js";
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

  it("reads only the header of a safetensors file, whatever its name, and skips other binary files", async () => {
    const dir = await testdir();
    const safetensors = (metadata: Record<string, string>, data: Buffer): Buffer => {
      const header = Buffer.from(
        JSON.stringify({
          __metadata__: metadata,
          w: { dtype: "U8", shape: [data.length], data_offsets: [0, data.length] },
        }).replace("hf_", "hf\\u005f"),
      );
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(header.length));
      return Buffer.concat([length, header, data]);
    };
    // Tensor bytes are never read: a token-shaped string in them is not a finding.
    const data = Buffer.concat([randomBytes(1024), Buffer.from(TOKEN, "latin1"), randomBytes(1024)]);
    const random = randomBytes(64 * 1024);
    random.write(TOKEN, 40 * 1024, "latin1");
    const files = await runFiles(dir, {
      "weights.txt": random,
      "adapters.safetensors": safetensors({ note: `pushed by ${TOKEN}`, again: TOKEN }, data),
      "renamed.bin": safetensors({ escaped: `hf_${TOKEN.slice(3)}` }, data),
      "clean.safetensors": safetensors({ format: "pt" }, data),
    });

    expect(await scanForSecrets(files)).toEqual([
      {
        file: "adapters.safetensors",
        message: expect.stringMatching(/^in its safetensors header: Hugging Face token \(hf_A1b…\)/) as string,
      },
      {
        file: "renamed.bin",
        message: expect.stringMatching(/^in its safetensors header \(escaped\): Hugging Face token/) as string,
      },
    ]);
  });

  it("reads UTF-16 (by its byte order mark, or its NUL bytes) and gzip (decompressed as a stream)", async () => {
    const dir = await testdir();
    const text = `first line\nHF_TOKEN=${TOKEN}\n`;
    const utf16be = Buffer.from(text, "utf16le").swap16();
    const files = await runFiles(dir, {
      "bom-le.txt": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
      "bom-be.txt": Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
      "no-bom.log": Buffer.from(text, "utf16le"),
      "train.log.gz": gzipSync(`${"step 1 loss 2.0\n".repeat(50_000)}key AKIAQWERTYUIOP123456\n`),
      "logs.tar.gz": gzipSync(
        Buffer.concat([Buffer.from("logs/a.txt\x00\x00\x00\x000000644\x00"), Buffer.alloc(400), Buffer.from(text)]),
      ),
      "utf16.gz": gzipSync(Buffer.from(text, "utf16le")),
    });

    const line = (
      file: string,
      where: string,
      kind = "Hugging Face token",
      fileLine?: number,
    ): { file: string; line?: number; message: string } => ({
      file,
      ...(fileLine === undefined ? {} : { line: fileLine }),
      message: expect.stringMatching(new RegExp(`^${where}: ${kind} `)) as string,
    });
    // `line` is the file's own line; a decompressed text's line is only in the message.
    expect(await scanForSecrets(files)).toEqual([
      line("bom-be.txt", "line 2", undefined, 2),
      line("bom-le.txt", "line 2", undefined, 2),
      line("logs.tar.gz", "line 2 of its decompressed text"),
      line("no-bom.log", "line 2", undefined, 2),
      line("train.log.gz", "line 50001 of its decompressed text", "AWS access key id"),
      line("utf16.gz", "line 2 of its decompressed text"),
    ]);
  });

  it("refuses a gzip file it cannot decompress, and netrc files outright", async () => {
    const dir = await testdir();
    const files = await runFiles(dir, {
      "broken.gz": Buffer.concat([gzipSync("some text\n").subarray(0, 10), Buffer.alloc(64, 0xff)]),
      ".netrc": "machine example.com login me password x\n",
    });

    expect(await scanForSecrets(files)).toEqual([
      { file: ".netrc", message: "is a netrc file, which holds passwords; remove it from the run" },
      {
        file: "broken.gz",
        message: expect.stringMatching(/^cannot be decompressed to check it for secrets \(Z_DATA_ERROR\)/) as string,
      },
    ]);
  });
});
