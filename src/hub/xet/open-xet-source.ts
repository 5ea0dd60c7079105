import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { FileIdentity } from "../../util/file-identity.js";
import { SourceChangedError } from "./source-changed-error.js";
import type { XetSource } from "./xet-source.js";

/** Positional reads of a source; `check` throws SourceChangedError unless a file is still the one checked. */
export interface OpenedSource {
  readonly size: number;
  /** Fills `into` from `position`; throws SourceChangedError when the source ends first. */
  read(into: Uint8Array, position: number): void;
  check(when: string): void;
  close(): void;
}

function same(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/**
 * Opens a source for a worker thread's synchronous reads (a worker has nothing else to do while it
 * waits): a file without following links, its identity compared at once, so a file swapped, grown or
 * truncated since it was checked is refused before a byte is used.
 */
export function openXetSource(source: XetSource): OpenedSource {
  const named = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      // The main thread names the file in its error (LocalFileError) from these.
      throw error instanceof Error
        ? Object.assign(error, { sourcePath: (source as { path?: string }).path, sourceLabel: source.label })
        : error;
    }
  };
  if (source.kind === "bytes") {
    const { bytes } = source;
    return {
      size: bytes.length,
      read: (into, position) => {
        if (position + into.length > bytes.length) {
          throw new RangeError(`${source.label}: read past the end`);
        }
        into.set(bytes.subarray(position, position + into.length));
      },
      check: () => undefined,
      close: () => undefined,
    };
  }
  const fd = named(() => openSync(source.path, constants.O_RDONLY | constants.O_NOFOLLOW));
  const check = (when: string): void => {
    const info = fstatSync(fd);
    const now = { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
    if (!same(now, source.identity)) {
      throw new SourceChangedError(source.label, `${source.path}: size, times or inode changed ${when}`);
    }
  };
  try {
    check("before it was read");
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return {
    size: source.identity.size,
    read: (into, position) => {
      let filled = 0;
      while (filled < into.length) {
        const read = named(() => readSync(fd, into, filled, into.length - filled, position + filled));
        if (read === 0) {
          throw new SourceChangedError(source.label, `${source.path}: ended ${into.length - filled} bytes early`);
        }
        filled += read;
      }
    },
    check,
    close: () => closeSync(fd),
  };
}
