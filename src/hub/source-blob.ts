import { constants } from "node:fs";
import { lstat, open, realpath, type FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { FileChangedError, ProcessArtifactsError } from "../errors.js";
import { createLimiter } from "../util/create-limiter.js";
import type { BlobSession } from "./blob-session.js";
import { fileIdentity, type FileIdentity } from "../util/file-identity.js";
import { sameIdentity } from "../util/same-identity.js";
import { toLocalFileError } from "../util/to-local-file-error.js";

/** 1 MiB reads: fewer syscalls and progress events than the 64 KiB default, still small in memory. */
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

export interface SourceBlobOptions {
  /** The file as it was when the blob was made: every read refuses a file that no longer matches. */
  identity: FileIdentity;
  /** How errors name the file (the repo path); the local path when omitted. */
  label?: string | undefined;
  /** Set for blobs handed to @huggingface/hub: its reads report failures here and never reject (see BlobSession). */
  session?: BlobSession | undefined;
}

/** A promise that never settles: holds no timer or handle, so it keeps nothing alive. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
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
  readonly session: BlobSession | undefined;

  constructor(path: string, start: number, end: number, options: SourceBlobOptions) {
    super([]);
    this.path = path;
    this.start = start;
    this.end = end;
    this.identity = options.identity;
    this.label = options.label ?? path;
    this.session = options.session;
  }

  /**
   * A blob of a whole file, its identity taken now. A validated symbolic link inside the run is
   * resolved here, once; from then on the target itself is read, without following links. With
   * `expected` (the identity from when the file was hashed or validated) or `size`, a file that
   * already differs is refused at once.
   */
  static async forFile(
    path: string,
    options: { label?: string; size?: number; expected?: FileIdentity; session?: BlobSession } = {},
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
    return new SourceBlob(target, 0, identity.size, { identity, label, session: options.session });
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
    return new SourceBlob(this.path, from, to, { identity: this.identity, label: this.label, session: this.session });
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

  /** A Node stream of the range, read with bounded memory; it errors rather than ends early. */
  createReadStream(): Readable {
    let opened: { handle: FileHandle; release: () => void } | undefined;
    let position = this.start;
    const pull = async (stream: Readable): Promise<void> => {
      opened ??= await this.openChecked();
      const length = Math.min(READ_CHUNK, this.end - position);
      if (length > 0) {
        const buffer = Buffer.allocUnsafe(length);
        let bytesRead: number;
        try {
          ({ bytesRead } = await opened.handle.read(buffer, 0, length, position));
        } catch (error) {
          throw toLocalFileError(error, this);
        }
        if (bytesRead === 0) {
          throw this.changed(`ended ${this.end - position} bytes early`);
        }
        position += bytesRead;
        if (position < this.end) {
          stream.push(buffer.subarray(0, bytesRead));
          return;
        }
        await this.check(opened.handle, "while it was read");
        stream.push(buffer.subarray(0, bytesRead));
      } else {
        await this.check(opened.handle, "while it was read");
      }
      stream.push(null);
    };
    return new Readable({
      highWaterMark: READ_CHUNK,
      read() {
        pull(this).catch((error: unknown) => this.destroy(error as Error));
      },
      destroy(error, callback) {
        const held = opened;
        opened = undefined;
        if (held === undefined) {
          callback(error);
          return;
        }
        held.handle
          .close()
          .catch(() => undefined)
          .finally(() => {
            held.release();
            callback(error);
          });
      },
    });
  }

  override stream(): ReturnType<Blob["stream"]> {
    const session = this.session;
    if (session === undefined) {
      return Readable.toWeb(this.createReadStream()) as ReturnType<Blob["stream"]>;
    }
    // For the library: a failure or an abort stops the stream where it is, without an error that
    // the library could lose; the file is closed and nothing keeps the process alive.
    const source = this.createReadStream();
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      source.destroy();
    };
    session.signal?.addEventListener("abort", stop, { once: true });
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (stopped || session.signal?.aborted) {
          stop();
          return never();
        }
        try {
          const next = await chunks.next();
          if (next.done) {
            session.signal?.removeEventListener("abort", stop);
            controller.close();
          } else {
            controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
          }
        } catch (error) {
          stop();
          if (!session.signal?.aborted) {
            session.fail(error);
          }
          return never();
        }
      },
      cancel: stop,
    }) as ReturnType<Blob["stream"]>;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    const session = this.session;
    if (session === undefined) {
      return this.readAll();
    }
    if (session.signal?.aborted) {
      return never();
    }
    return this.readAll().catch((error: unknown) => {
      if (!session.signal?.aborted) {
        session.fail(error);
      }
      return never<ArrayBuffer>();
    });
  }

  private async readAll(): Promise<ArrayBuffer> {
    const buffer = new Uint8Array(this.size);
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
