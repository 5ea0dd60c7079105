import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { formatBytes } from "../util/format-bytes.js";
import type { SecretHit } from "./find-secrets.js";
import { scanTextStream } from "./scan-text-stream.js";
import { SNIFF_BYTES, sniffContent } from "./sniff-content.js";

/** A file's bytes: on disk (read as a stream, never whole), or in memory (generated files). */
export type ContentSource = { abs: string; size: number } | { bytes: Uint8Array };

/** Where in the content the hits are: its lines, the lines of what it decompresses to, or a safetensors header. */
export type ScanOutcome =
  { container: "text" | "gzip" | "safetensors" | "binary"; hits: SecretHit[] } | { problem: string };

/**
 * The most a gzip file may decompress to (1 GiB): enough for any training log, and a bound on the
 * time a decompression bomb can cost. A file that decompresses to more is not published.
 */
export const MAX_DECOMPRESSED_BYTES = 1024 ** 3;
const READ_CHUNK = 256 * 1024;

async function readAt(abs: string, position: number, length: number): Promise<Uint8Array> {
  const handle = await open(abs, "r");
  try {
    const buffer = Buffer.allocUnsafe(length);
    let offset = 0;
    while (offset < length) {
      const { bytesRead } = await handle.read(buffer, offset, length - offset, position + offset);
      if (bytesRead === 0) {
        break;
      }
      offset += bytesRead;
    }
    return buffer.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

/** The bytes as chunks: in memory at once, or streamed from disk. */
function chunksOf(source: ContentSource): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  return "bytes" in source ? [source.bytes] : createReadStream(source.abs, { highWaterMark: READ_CHUNK });
}

async function* capped(chunks: AsyncIterable<Uint8Array>, cap: number, onOver: () => void): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > cap) {
      onOver();
      throw new Error(`decompressed data exceeds ${cap} bytes`);
    }
    yield chunk;
  }
}

/**
 * What a gzip file decompresses to, streamed and capped, read as text: UTF-16 when it is, else
 * UTF-8 with NUL bytes read as spaces, so a .tar.gz of logs is read as its files' text.
 */
async function scanGzip(source: ContentSource, cap: number): Promise<ScanOutcome> {
  let hits: SecretHit[] = [];
  // Set rather than thrown: the pipeline reports an error thrown by its last step as an abort.
  let tooLarge = false;
  try {
    await pipeline(
      "bytes" in source ? Readable.from([source.bytes]) : createReadStream(source.abs, { highWaterMark: READ_CHUNK }),
      createGunzip({ chunkSize: READ_CHUNK }),
      async (decompressed: AsyncIterable<Uint8Array>) => {
        const iterator = capped(decompressed, cap, () => {
          tooLarge = true;
        });
        const first: Uint8Array[] = [];
        let got = 0;
        let next = await iterator.next();
        while (!next.done) {
          first.push(next.value);
          got += next.value.byteLength;
          if (got >= SNIFF_BYTES) {
            break;
          }
          next = await iterator.next();
        }
        const kind = sniffContent(Buffer.concat(first).subarray(0, SNIFF_BYTES), Number.POSITIVE_INFINITY);
        const rest = async function* (): AsyncGenerator<Uint8Array> {
          yield* first;
          if (!next.done) {
            yield* iterator;
          }
        };
        hits =
          kind === "utf-16le" || kind === "utf-16be"
            ? await scanTextStream(rest(), kind)
            : await scanTextStream(rest(), "utf-8", { nulAsSpace: true });
      },
    );
  } catch (error) {
    if (tooLarge) {
      return {
        problem: `decompresses to more than ${formatBytes(cap)}, more than is checked for secrets; publish it uncompressed (text files are checked whatever their size) or remove it from the run`,
      };
    }
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problem: `cannot be decompressed to check it for secrets (${code ?? String(error)}); repair or remove it`,
    };
  }
  return { container: "gzip", hits };
}

/**
 * Every secret in one file's bytes, read as what they are (see sniffContent): text in UTF-8 or
 * UTF-16, line by line; gzip, decompressed as a stream up to MAX_DECOMPRESSED_BYTES; safetensors,
 * its header only (names and `__metadata__`), never the tensor data; anything else binary, of
 * which only the first 8 KiB are read. Throws what reading the file throws. `maxDecompressedBytes`
 * is for tests.
 */
export async function scanContent(
  given: ContentSource,
  maxDecompressedBytes = MAX_DECOMPRESSED_BYTES,
): Promise<ScanOutcome> {
  // A small file in one read (opening it twice, or a stream per file, costs more than the read
  // itself when a run holds thousands of small files), unless it has grown since it was listed.
  let source = given;
  if ("abs" in given && given.size < READ_CHUNK) {
    const whole = await readAt(given.abs, 0, given.size + 1);
    if (whole.byteLength <= given.size) {
      source = { bytes: whole };
    }
  }
  const size = "bytes" in source ? source.bytes.byteLength : source.size;
  const headLength = Math.min(SNIFF_BYTES, size);
  const head = "bytes" in source ? source.bytes.subarray(0, headLength) : await readAt(source.abs, 0, headLength);
  const kind = sniffContent(head, size);
  switch (kind) {
    case "binary":
      return { container: "binary", hits: [] };
    case "safetensors": {
      const length = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
      const header = "bytes" in source ? source.bytes.subarray(8, 8 + length) : await readAt(source.abs, 8, length);
      return { container: "safetensors", hits: await scanTextStream([header], "utf-8") };
    }
    case "gzip":
      return scanGzip(source, maxDecompressedBytes);
    default:
      return { container: "text", hits: await scanTextStream(chunksOf(source), kind) };
  }
}
