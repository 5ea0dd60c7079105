import { GEAR_TABLE } from "./gear-table.js";
import { gearKernelWasm } from "./gear-kernel-wasm.js";
import { XET_LIMITS } from "./xet-limits.js";

/** Splits a byte stream into Xet chunks; see createXetChunker. */
export interface XetChunker {
  /**
   * Feeds the next bytes of the stream and returns the chunks completed by them, in order. A chunk
   * that lies inside `data` is a view of it (no copy), so do not overwrite `data` while its chunks are
   * in use; bytes of an unfinished chunk are copied and kept.
   */
  push(data: Uint8Array): Uint8Array[];
  /** Ends the stream: returns the last, possibly short, chunk (none for an empty stream) and starts over. */
  finish(): Uint8Array[];
}

interface GearKernel {
  memory: WebAssembly.Memory;
  reset: () => void;
  find: (p: number, end: number, minEnd: number) => number;
}

const TABLE_BYTES = 256 * 8;
/** Where the kernel reads the bytes it scans; it holds one chunk's scanned part (< maximum chunk size). */
const SCAN_AT = TABLE_BYTES;
/**
 * The spec's minimum-size skip-ahead ("Minimum-size Skip-ahead"): the hash depends only on the last
 * 64 bytes, so hashing may start MIN - 64 - 1 bytes into a chunk and still give, at every position
 * where a boundary is allowed, the hash a byte-by-byte scan would have. hf_xet starts exactly here.
 */
const HASH_FROM = XET_LIMITS.minChunkBytes - 64 - 1;

let compiled: WebAssembly.Module | undefined;

/**
 * A streaming content-defined chunker giving exactly hf_xet's chunk boundaries (Xet spec,
 * "Content-Defined Chunking Algorithm": Gear hash, mask 0xFFFF000000000000, chunks of 8 KiB to
 * 128 KiB, skip-ahead). The boundaries depend only on the bytes, never on how the stream is split
 * into pushes. Each chunker owns a small WebAssembly instance; make one per stream.
 */
export function createXetChunker(): XetChunker {
  compiled ??= new WebAssembly.Module(gearKernelWasm());
  const kernel = new WebAssembly.Instance(compiled).exports as unknown as GearKernel;
  const memory = new Uint8Array(kernel.memory.buffer);
  const table = new DataView(kernel.memory.buffer, 0, TABLE_BYTES);
  GEAR_TABLE.forEach((value, i) => table.setBigUint64(i * 8, value, true));

  /** The start of the current chunk that came in earlier pushes. */
  const carry = new Uint8Array(XET_LIMITS.maxChunkBytes);
  let carried = 0;

  const cut = (data: Uint8Array, start: number, end: number): Uint8Array => {
    if (carried === 0) {
      return data.subarray(start, end);
    }
    const chunk = new Uint8Array(carried + end - start);
    chunk.set(carry.subarray(0, carried));
    chunk.set(data.subarray(start, end), carried);
    carried = 0;
    return chunk;
  };

  return {
    push(data) {
      const chunks: Uint8Array[] = [];
      let start = 0;
      let pos = 0;
      while (pos < data.length) {
        const length = carried + pos - start;
        if (length < HASH_FROM) {
          pos += Math.min(HASH_FROM - length, data.length - pos);
          continue;
        }
        const end = Math.min(data.length, pos + XET_LIMITS.maxChunkBytes - length);
        memory.set(data.subarray(pos, end), SCAN_AT);
        // The first address a boundary may follow; never below SCAN_AT (the kernel compares unsigned).
        const minEnd = SCAN_AT + Math.max(0, XET_LIMITS.minChunkBytes - length);
        const found = kernel.find(SCAN_AT, SCAN_AT + end - pos, minEnd);
        if (found !== 0 || length + end - pos === XET_LIMITS.maxChunkBytes) {
          pos = found !== 0 ? pos + found - SCAN_AT : end;
          chunks.push(cut(data, start, pos));
          start = pos;
          kernel.reset();
        } else {
          pos = end;
        }
      }
      if (start < data.length) {
        carry.set(data.subarray(start), carried);
        carried += data.length - start;
      }
      return chunks;
    },
    finish() {
      kernel.reset();
      if (carried === 0) {
        return [];
      }
      const last = carry.slice(0, carried);
      carried = 0;
      return [last];
    },
  };
}
