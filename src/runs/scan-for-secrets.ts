import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { RunIssue } from "../errors.js";
import { mapLimit } from "../util/map-limit.js";
import { findSecrets, type SecretHit } from "./find-secrets.js";
import type { RunFile } from "./inspect-run.js";
import { compareStrings } from "../util/compare-strings.js";

/** How much of a file decides whether it is text (as git and grep decide). */
const SNIFF_BYTES = 8 * 1024;
const READ_CHUNK = 256 * 1024;
/** A line longer than this (minified JSON, a progress bar log) is scanned in overlapping pieces. */
const MAX_LINE_CHARS = 1024 * 1024;
/** Longer than any secret we look for, so a secret cut by a piece boundary is whole in the next piece. */
const OVERLAP_CHARS = 4096;

/**
 * Certainly not text: a NUL byte in the first 8 KiB (which also covers every safetensors file: its
 * 8-byte little-endian header length always has zero high bytes), or mostly bytes that are not
 * UTF-8 text. Decided by content, never by extension: `nohup.out`, `README.rst` and extension-less
 * logs are text too.
 */
function isBinary(head: Buffer): boolean {
  if (head.includes(0)) {
    return true;
  }
  const text = new TextDecoder("utf-8").decode(head, { stream: true });
  let odd = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0xfffd || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c)) {
      odd++;
    }
  }
  return text.length > 0 && odd / text.length > 0.1;
}

/**
 * A small file in one read (a stream per file costs more than the read itself when a run holds
 * thousands of small files); undefined when it has grown past `size` since it was listed.
 */
async function readWhole(abs: string, size: number): Promise<Buffer | undefined> {
  const handle = await open(abs, "r");
  try {
    const buffer = Buffer.allocUnsafe(size + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
    return bytesRead <= size ? buffer.subarray(0, bytesRead) : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Streams one file line by line with bounded memory; hits keep the file's line numbers. Returns
 * undefined for a binary file.
 */
async function scanFile(abs: string, size: number): Promise<SecretHit[] | undefined> {
  const whole = size < READ_CHUNK ? await readWhole(abs, size) : undefined;
  const stream = whole === undefined ? createReadStream(abs, { highWaterMark: READ_CHUNK }) : undefined;
  const chunks: AsyncIterable<unknown> | Iterable<Buffer> = stream ?? [whole ?? Buffer.alloc(0)];
  const decoder = new TextDecoder("utf-8");
  const hits: SecretHit[] = [];
  let sniffed = false;
  let carry = "";
  let line = 1;
  const scanLines = (): void => {
    const end = carry.lastIndexOf("\n");
    if (end >= 0) {
      const block = carry.slice(0, end);
      hits.push(...findSecrets(block, line));
      for (let at = block.indexOf("\n"); at >= 0; at = block.indexOf("\n", at + 1)) {
        line++;
      }
      line++;
      carry = carry.slice(end + 1);
    }
    while (carry.length > MAX_LINE_CHARS) {
      // One very long line: scan all we hold, keep hits that start before the cut, carry the overlap.
      const cut = carry.length - OVERLAP_CHARS;
      hits.push(...findSecrets(carry, line).filter((hit) => hit.column - 1 < cut));
      carry = carry.slice(cut);
    }
  };
  try {
    for await (const chunk of chunks) {
      const bytes = chunk as Buffer;
      if (!sniffed) {
        sniffed = true;
        if (isBinary(bytes.subarray(0, SNIFF_BYTES))) {
          return undefined;
        }
      }
      carry += decoder.decode(bytes, { stream: true });
      scanLines();
    }
    carry += decoder.decode();
    scanLines();
    hits.push(...findSecrets(carry, line));
    return hits;
  } finally {
    stream?.destroy();
  }
}

/**
 * Reads every text file of the run (whatever its name or size, streamed) and reports every
 * credential found, with file, line and a masked excerpt. `.env` files are refused outright: they
 * exist to hold secrets. Binary files (weights, archives) are recognised by content and skipped.
 */
export async function scanForSecrets(files: readonly RunFile[]): Promise<RunIssue[]> {
  const issues: RunIssue[] = [];
  await mapLimit(files, 8, async (file) => {
    const base = file.rel.split("/").pop() ?? "";
    if (base === ".env" || base.startsWith(".env.") || base.endsWith(".env")) {
      issues.push({ file: file.rel, message: "is an environment file, which holds secrets; remove it from the run" });
      return;
    }
    let hits: SecretHit[] | undefined;
    try {
      hits = await scanFile(file.abs, file.size);
    } catch (error) {
      issues.push({
        file: file.rel,
        message: `cannot be read to check it for secrets (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      });
      return;
    }
    for (const hit of hits ?? []) {
      issues.push({
        file: file.rel,
        line: hit.line,
        message: `line ${hit.line}: ${hit.kind} (${hit.masked}); remove it — a secret must never be published`,
      });
    }
  });
  return issues.sort((a, b) => compareStrings(a.file, b.file));
}
