import { constants } from "node:fs";
import { lstat, open, realpath, type FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { FileChangedError, ProcessArtifactsError } from "../../errors.js";
import { createLimiter } from "../../util/create-limiter.js";
import { fileIdentity, type FileIdentity } from "../../util/file-identity.js";
import { sameIdentity } from "../../util/same-identity.js";
import { toLocalFileError } from "../../util/to-local-file-error.js";

/**
 * Chunks of the streams: each is a fresh allocation handed over for good. 1 MiB: per-chunk work is noise, and larger ones measured no less CPU
 * (4 MiB: more, as each allocation then costs page faults) but more memory per file in flight.
 */
const READ_CHUNK = 1024 * 1024;

/**
 * Open files across every blob of the process. The Hub client reads all small files at once while it
 * builds the commit, so without a cap a run of thousands of files dies with EMFILE.
 */
export const MAX_OPEN_SOURCE_FILES = 64;
const openFiles = createLimiter(MAX_OPEN_SOURCE_FILES);

/** No-follow: if the path became a symbolic link after it was checked, the open fails (ELOOP). */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

function identityOf(info: { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number }): FileIdentity {
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
}

/** Sequential reads of a blob's range (see SourceBlob.openReader). */
export interface RangeReader {
  /**
   * Fills `into` from its start with the next bytes of the range and returns how many: all of
   * `into` unless the range ends first, and 0 only at its end. Rejects with FileChangedError on a
   * file that ended early or changed, LocalFileError when reading fails.
   */
  read(into: Uint8Array): Promise<number>;
  /** Closes the file and frees its open-file slot; safe to call twice. */
  close(): Promise<void>;
}

export interface SourceBlobOptions {
  /** The file as it was when the blob was made: every read refuses a file that no longer matches. */
  identity: FileIdentity;
  /** How errors name the file (the repo path); the local path when omitted. */
  label?: string | undefined;
}

/**
 * A lazily read byte range of a local file that the Hub client can treat as a Blob. Our fetch
 * recognises it and streams it with node:http, because Node 20's fetch holds a whole request body
 * in memory (undici #4058). Nothing is read until the client asks, and every read proves it reads
 * the file that was checked: opened without following links, its identity compared at open and
 * after the last byte, an early end of file refused (FileChangedError) rather than sent short.
 */
export class SourceBlob extends Blob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly identity: FileIdentity;
  readonly label: string;

  constructor(path: string, start: number, end: number, options: SourceBlobOptions) {
    super([]);
    this.path = path;
    this.start = start;
    this.end = end;
    this.identity = options.identity;
    this.label = options.label ?? path;
  }

  /**
   * A blob of a whole file, its identity taken now. A validated symbolic link inside the run is
   * resolved here, once; from then on the target itself is read, without following links. With
   * `expected` (the identity from when the file was hashed or validated) or `size`, a file that
   * already differs is refused at once.
   */
  static async forFile(
    path: string,
    options: { label?: string; size?: number; expected?: FileIdentity } = {},
  ): Promise<SourceBlob> {
    const label = options.label ?? path;
    let target = path;
    let identity: FileIdentity;
    try {
      const info = await lstat(path);
      if (info.isSymbolicLink()) {
        target = await realpath(path);
        identity = await fileIdentity(target);
      } else {
        // Not a link: lstat already saw the file itself (one call per file counts in a 20,000-file run).
        identity = identityOf(info);
      }
    } catch (error) {
      throw toLocalFileError(error, { path, label });
    }
    if (
      (options.size !== undefined && identity.size !== options.size) ||
      (options.expected !== undefined && !sameIdentity(identity, options.expected))
    ) {
      throw new FileChangedError(label, {
        cause: new Error(`${path}: size, times or inode differ from when it was checked`),
      });
    }
    return new SourceBlob(target, 0, identity.size, { identity, label });
  }

  override get size(): number {
    return this.end - this.start;
  }

  override get type(): string {
    return "";
  }

  override slice(start = 0, end = this.size): SourceBlob {
    const from = Math.min(this.end, this.start + Math.max(0, start));
    const to = Math.max(from, Math.min(this.end, this.start + Math.max(0, end)));
    return new SourceBlob(this.path, from, to, { identity: this.identity, label: this.label });
  }

  private changed(reason: string): FileChangedError {
    return new FileChangedError(this.label, { cause: new Error(`${this.path}: ${reason}`) });
  }

  /** Throws unless the open file is still the one this blob was made from. */
  private async check(handle: FileHandle, when: string): Promise<void> {
    if (!sameIdentity(identityOf(await handle.stat()), this.identity)) {
      throw this.changed(`size, times or inode changed ${when}`);
    }
  }

  /**
   * Takes an open-file slot, opens without following links and (unless `checkFirst` is false) checks
   * identity; the slot is freed on failure.
   */
  private async openChecked(checkFirst = true): Promise<{ handle: FileHandle; release: () => void }> {
    const release = await openFiles.acquire();
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.path, OPEN_FLAGS);
      if (checkFirst) {
        await this.check(handle, "before it was read");
      }
      return { handle, release };
    } catch (error) {
      await handle?.close().catch(() => undefined);
      release();
      throw error instanceof ProcessArtifactsError ? error : toLocalFileError(error, this);
    }
  }

  /**
   * Reads the range from its start into buffers the caller supplies, so a caller that knows when a
   * buffer is free again (a socket write callback) can reuse it instead of allocating per chunk.
   * Opened (and its open-file slot taken) at once; every read refuses a file that no longer matches.
   */
  async openReader(): Promise<RangeReader> {
    const opened = await this.openChecked();
    let position = this.start;
    let verified = false;
    let closed = false;
    const close = async (): Promise<void> => {
      if (!closed) {
        closed = true;
        await opened.handle.close().catch(() => undefined);
        opened.release();
      }
    };
    return {
      read: async (into) => {
        if (closed) {
          throw new Error(`${this.label}: read after close`);
        }
        const length = Math.min(into.byteLength, this.end - position);
        let filled = 0;
        while (filled < length) {
          let bytesRead: number;
          try {
            ({ bytesRead } = await opened.handle.read(into, filled, length - filled, position + filled));
          } catch (error) {
            throw toLocalFileError(error, this);
          }
          if (bytesRead === 0) {
            throw this.changed(`ended ${this.end - position - filled} bytes early`);
          }
          filled += bytesRead;
        }
        position += filled;
        if (position === this.end && !verified) {
          // Before the last bytes are handed out: a file edited while it was read is never sent whole.
          await this.check(opened.handle, "while it was read");
          verified = true;
        }
        return filled;
      },
      close,
    };
  }

  /** A Node stream of the range, read with bounded memory; it errors rather than ends early. */
  createReadStream(): Readable {
    let reader: RangeReader | undefined;
    const pull = async (stream: Readable): Promise<void> => {
      if (reader === undefined) {
        const opened = await this.openReader();
        if (stream.destroyed) {
          await opened.close();
          return;
        }
        reader = opened;
      }
      const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(READ_CHUNK, this.size)));
      const bytes = await reader.read(buffer);
      stream.push(bytes > 0 ? buffer.subarray(0, bytes) : null);
    };
    return new Readable({
      highWaterMark: READ_CHUNK,
      read() {
        pull(this).catch((error: unknown) => this.destroy(error as Error));
      },
      destroy(error, callback) {
        const held = reader;
        reader = undefined;
        if (held === undefined) {
          callback(error);
          return;
        }
        void held.close().finally(() => callback(error));
      },
    });
  }

  /** A web stream of the range, each chunk a buffer of its own; it errors rather than ends early. */
  override stream(): ReturnType<Blob["stream"]> {
    const chunkBytes = Math.max(1, Math.min(READ_CHUNK, this.size));
    let reader: RangeReader | undefined;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      const held = reader;
      reader = undefined;
      void held?.close();
    };
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (reader === undefined) {
          const opened = await this.openReader();
          if (stopped) {
            await opened.close();
            return;
          }
          reader = opened;
        }
        const buffer = Buffer.allocUnsafeSlow(chunkBytes);
        let bytes: number;
        try {
          bytes = await reader.read(buffer);
        } catch (error) {
          stop();
          throw error;
        }
        if (stopped) {
          return;
        }
        if (bytes > 0) {
          controller.enqueue(bytes === buffer.byteLength ? buffer : buffer.subarray(0, bytes));
        } else {
          stop();
          controller.close();
        }
      },
      cancel: stop,
    }) as ReturnType<Blob["stream"]>;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.readAll();
  }

  private async readAll(): Promise<ArrayBuffer> {
    // Not zero-filled: every byte is read into it, or the read fails. Its own ArrayBuffer, not a pooled one.
    const buffer = Buffer.allocUnsafeSlow(this.size);
    // Read whole, then checked once on the open file: a swapped file (other inode) or a change while
    // it was read fails that check, and nothing was handed out before it.
    const { handle, release } = await this.openChecked(false);
    try {
      let offset = 0;
      while (offset < buffer.byteLength) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, offset, buffer.byteLength - offset, this.start + offset));
        } catch (error) {
          // A folder (or another file) now standing at the path is a change, not an unreadable file.
          await this.check(handle, "before it was read");
          throw toLocalFileError(error, this);
        }
        if (bytesRead === 0) {
          throw this.changed(`ended ${buffer.byteLength - offset} bytes early`);
        }
        offset += bytesRead;
      }
      await this.check(handle, "while it was read");
    } finally {
      await handle.close().catch(() => undefined);
      release();
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
