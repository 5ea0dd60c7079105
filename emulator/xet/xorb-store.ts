import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { decodeXorbFooter, encodeXorbFooter, hashToHex } from "../../src/xet/index.js";
import type { StoredChunk, StoredXorb } from "./stored-xorb.js";

const HASH_FILE = /^[0-9a-f]{64}$/;

/**
 * The CAS's xorb storage, one object per xorb hash: in memory, or in `dir` (the serialized chunks
 * followed by xet-core's footer, so a restart reads back each xorb's chunk table from the file's end
 * without parsing the chunks), or only the chunk table (`discard`, for benchmarks). Files are written
 * under a temp name and renamed, so a crash never leaves half a xorb.
 */
export class XorbStore {
  readonly xorbs = new Map<string, StoredXorb>();
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly dir: string | undefined;
  private readonly discard: boolean;

  constructor(dir: string | undefined, discard: boolean) {
    this.dir = dir;
    this.discard = discard;
  }

  /** Whether the bytes of stored xorbs can be read back. */
  get keepsContent(): boolean {
    return !this.discard;
  }

  get(hash: string): StoredXorb | undefined {
    return this.xorbs.get(hash);
  }

  /** Stores a verified xorb (`serialized`: its chunks, no footer); false when it was there already. */
  async put(xorb: StoredXorb, serialized: Uint8Array, hash: Uint8Array): Promise<boolean> {
    if (this.xorbs.has(xorb.hash)) {
      return false;
    }
    if (!this.discard && this.dir !== undefined) {
      const footer = encodeXorbFooter({
        hash,
        chunkHashes: xorb.chunks.map((chunk) => chunk.hash),
        serializedEnds: xorb.chunks.map((chunk) => chunk.offset + chunk.serializedLength),
        unpackedEnds: xorb.chunks.map((chunk) => chunk.unpackedStart + chunk.size),
      });
      await mkdir(this.dir, { recursive: true });
      const file = path.join(this.dir, xorb.hash);
      const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
      const handle = await open(temp, "w");
      try {
        await handle.write(serialized.subarray(0, xorb.serializedBytes));
        await handle.write(footer);
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } else if (!this.discard) {
      this.bytes.set(xorb.hash, serialized.slice(0, xorb.serializedBytes));
    }
    this.xorbs.set(xorb.hash, xorb);
    return true;
  }

  /** Serialized bytes [start, end) of a stored xorb; throws when its content was not kept. */
  async read(hash: string, start: number, end: number): Promise<Uint8Array> {
    const inMemory = this.bytes.get(hash);
    if (inMemory) {
      return inMemory.subarray(start, end);
    }
    if (this.discard || this.dir === undefined || !this.xorbs.has(hash)) {
      throw new Error(`the bytes of xorb ${hash} were not kept`);
    }
    const handle = await open(path.join(this.dir, hash), "r");
    try {
      const out = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(out, 0, out.length, start);
      if (bytesRead !== out.length) {
        throw new Error(`xorb ${hash} is shorter on disk than its chunk table says`);
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  /** Serialized bytes [start, end) of a stored xorb in pieces, read from disk as they are sent. */
  pieces(hash: string, start: number, end: number): AsyncIterable<Uint8Array> {
    const inMemory = this.bytes.get(hash);
    if (inMemory) {
      return Readable.from([inMemory.subarray(start, end)]);
    }
    if (this.discard || this.dir === undefined || !this.xorbs.has(hash)) {
      throw new Error(`the bytes of xorb ${hash} were not kept`);
    }
    return end > start
      ? createReadStream(path.join(this.dir, hash), { start, end: end - 1, highWaterMark: 1024 * 1024 })
      : Readable.from([]);
  }

  /** Reads back every xorb in `dir` from the footer at its end; leftovers of interrupted writes are removed. */
  async load(): Promise<void> {
    if (this.dir === undefined) {
      return;
    }
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return;
      }
      throw error;
    }
    for (const name of names) {
      if (!HASH_FILE.test(name)) {
        await rm(path.join(this.dir, name), { force: true });
        continue;
      }
      this.xorbs.set(name, await readChunkTable(path.join(this.dir, name), name));
    }
  }
}

async function readChunkTable(file: string, name: string): Promise<StoredXorb> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, size - 4);
    const footerLength = tail.readUInt32LE(0) + 4;
    if (footerLength > size) {
      throw new Error(`${file} is not a stored xorb (no footer)`);
    }
    const footerBytes = Buffer.alloc(footerLength);
    await handle.read(footerBytes, 0, footerLength, size - footerLength);
    const footer = decodeXorbFooter(new Uint8Array(footerBytes));
    if (hashToHex(footer.hash) !== name) {
      throw new Error(`${file} holds xorb ${hashToHex(footer.hash)}, not ${name}`);
    }
    const chunks: StoredChunk[] = footer.chunkHashes.map((hash, i) => {
      const offset = i === 0 ? 0 : (footer.serializedEnds[i - 1] ?? 0);
      const unpackedStart = i === 0 ? 0 : (footer.unpackedEnds[i - 1] ?? 0);
      return {
        hash,
        offset,
        serializedLength: (footer.serializedEnds[i] ?? 0) - offset,
        unpackedStart,
        size: (footer.unpackedEnds[i] ?? 0) - unpackedStart,
      };
    });
    return {
      hash: name,
      chunks,
      serializedBytes: footer.serializedEnds.at(-1) ?? 0,
      unpackedBytes: footer.unpackedEnds.at(-1) ?? 0,
    };
  } finally {
    await handle.close();
  }
}
