import { createHash } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { startBlockHasher } from "../hash/start-block-hasher.js";
import { serializeHeader, type OutputTensor } from "./serialize-header.js";

/** Output blocks in flight (being written and hashed) at once. */
const DEPTH = 4;
const BLOCK_BYTES = 4 * 1024 * 1024;
/** Below this, starting a hashing thread costs more than hashing on the main thread. */
const WORKER_HASH_MIN_BYTES = 16 * 1024 * 1024;

/** Shared memory the output passes through: `blocks` are offsets of `blockBytes`-long blocks. */
export interface WriteArena {
  buffer: SharedArrayBuffer;
  blocks: readonly number[];
  blockBytes: number;
}

export interface OutputBlock {
  /** Byte offset of the block in the arena's buffer. */
  offset: number;
  /** The block's bytes (`blockBytes` long). */
  bytes: Uint8Array;
}

/** Lets a producer write a tensor's bytes straight into output blocks instead of returning them. */
export interface TensorSink {
  readonly blockBytes: number;
  /** A free block; waits while every block is still being written or hashed. */
  block(): Promise<OutputBlock>;
  /** Queues the first `length` bytes of `block` after everything pushed before. */
  push(block: OutputBlock, length: number): void;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written, position + written);
    written += bytesWritten;
  }
}

/**
 * Writes a safetensors file one tensor at a time: `produce(i)` is called in order and either returns
 * the tensor's bytes or pushes them into `sink` blocks itself. Blocks are written and hashed (on a
 * worker thread for large files) while the next ones are produced; memory holds the blocks and
 * whatever the producer keeps, never the file. Writes to `<file>.tmp-<pid>` and renames, so no
 * reader ever sees a half-written file under the real name (no fsync: outputs are staging files,
 * rebuilt on the next run if lost). Returns size and sha256.
 */
export async function writeSafetensors(
  file: string,
  tensors: readonly OutputTensor[],
  metadata: Record<string, string> | null,
  produce: (index: number, sink: TensorSink) => Promise<Uint8Array | undefined>,
  options: { arena?: WriteArena } = {},
): Promise<{ size: number; sha256: string }> {
  const { bytes: header, sizes, dataBytes } = serializeHeader(tensors, metadata);
  const total = header.byteLength + dataBytes;
  const arena = options.arena ?? ownArena(total);
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, "w");
  const hasher = total >= WORKER_HASH_MIN_BYTES ? startBlockHasher(arena.buffer) : undefined;
  const inlineHash = hasher === undefined ? createHash("sha256") : undefined;
  const view = (offset: number, length: number): Uint8Array => new Uint8Array(arena.buffer, offset, length);

  const free = [...arena.blocks];
  const waiting: Array<() => void> = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let failed = false;
  let size = 0;
  let pushed = 0;

  const release = (offset: number): void => {
    free.push(offset);
    waiting.shift()?.();
  };
  const sink: TensorSink = {
    blockBytes: arena.blockBytes,
    async block() {
      while (free.length === 0 && !failed) {
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      if (failed) {
        throw failure;
      }
      const offset = free.pop() ?? 0;
      return { offset, bytes: view(offset, arena.blockBytes) };
    },
    push(block, length) {
      const position = size;
      size += length;
      pushed += length;
      const bytes = view(block.offset, length);
      inlineHash?.update(bytes);
      const done = Promise.all([writeAll(handle, bytes, position), hasher?.update(block.offset, length)]).then(
        () => release(block.offset),
        (error: unknown) => {
          if (!failed) {
            failed = true;
            failure = error;
          }
          for (const wake of waiting.splice(0)) {
            wake();
          }
        },
      );
      inFlight.add(done);
      void done.then(() => inFlight.delete(done));
    },
  };
  const copy = async (bytes: Uint8Array): Promise<void> => {
    for (let offset = 0; offset < bytes.byteLength; offset += arena.blockBytes) {
      const chunk = bytes.subarray(offset, Math.min(bytes.byteLength, offset + arena.blockBytes));
      const block = await sink.block();
      block.bytes.set(chunk);
      sink.push(block, chunk.byteLength);
    }
  };

  try {
    await copy(header);
    for (let index = 0; index < tensors.length; index++) {
      pushed = 0;
      const expected = sizes[index] ?? 0;
      const name = tensors[index]?.name ?? index;
      const data = await produce(index, sink);
      if (data !== undefined) {
        if (data.byteLength !== expected) {
          throw new Error(`tensor ${name} has ${data.byteLength} bytes, expected ${expected}`);
        }
        await copy(data);
      } else if (pushed !== expected) {
        throw new Error(`tensor ${name} has ${pushed} bytes, expected ${expected}`);
      }
    }
    await Promise.all(inFlight);
    if (failed) {
      throw failure;
    }
    const sha256 = hasher === undefined ? (inlineHash?.digest("hex") ?? "") : await hasher.digest();
    await handle.close();
    await rename(temp, file);
    return { size, sha256 };
  } catch (error) {
    await Promise.allSettled(inFlight);
    await hasher?.close();
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

function ownArena(total: number): WriteArena {
  const blockBytes = Math.max(8, Math.min(BLOCK_BYTES, Math.ceil(total / 8) * 8));
  return {
    buffer: new SharedArrayBuffer(blockBytes * DEPTH),
    blocks: Array.from({ length: DEPTH }, (_, index) => index * blockBytes),
    blockBytes,
  };
}
