import { createReadStream, type ReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";

/** 1 MiB reads: fewer syscalls and progress events than the 64 KiB default, still small in memory. */
const READ_CHUNK = 1024 * 1024;

/**
 * A lazily read byte range of a local file that the Hub client can treat as a Blob. Our fetch
 * recognises it and streams it with node:http, because Node 20's fetch holds a whole request body
 * in memory (undici #4058). Nothing is read until the client asks.
 */
export class SourceBlob extends Blob {
  readonly path: string;
  readonly start: number;
  readonly end: number;

  constructor(path: string, start: number, end: number) {
    super([]);
    this.path = path;
    this.start = start;
    this.end = end;
  }

  override get size(): number {
    return this.end - this.start;
  }

  override get type(): string {
    return "";
  }

  override slice(start = 0, end = this.size): SourceBlob {
    const from = Math.min(this.end, this.start + Math.max(0, start));
    return new SourceBlob(this.path, from, Math.max(from, Math.min(this.end, this.start + Math.max(0, end))));
  }

  /** A Node stream of the range; empty ranges give an empty stream (createReadStream has no such range). */
  createReadStream(): ReadStream | Readable {
    if (this.size === 0) {
      return Readable.from([]);
    }
    return createReadStream(this.path, { start: this.start, end: this.end - 1, highWaterMark: READ_CHUNK });
  }

  override stream(): ReturnType<Blob["stream"]> {
    return Readable.toWeb(this.createReadStream()) as ReturnType<Blob["stream"]>;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const buffer = new Uint8Array(this.size);
    const handle = await open(this.path, "r");
    try {
      let offset = 0;
      while (offset < buffer.byteLength) {
        const { bytesRead } = await handle.read(buffer, offset, buffer.byteLength - offset, this.start + offset);
        if (bytesRead === 0) {
          throw new Error(`${this.path} changed while being read (shorter than expected)`);
        }
        offset += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return buffer.buffer;
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }
}
