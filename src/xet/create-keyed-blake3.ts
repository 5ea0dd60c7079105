import { blake3KernelWasm } from "./blake3-kernel-wasm.js";

interface Blake3Kernel {
  memory: WebAssembly.Memory;
  compress4: (
    input: number,
    stride: number,
    blocks: number,
    counter: number,
    counterStep: number,
    flags: number,
    startFlag: number,
    endFlag: number,
    lastLength: number,
    out: number,
  ) => void;
}

// BLAKE3 domain flags (BLAKE3 spec, table 3).
const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;
const KEYED_HASH = 16;

const CHUNK = 1024;
const BLOCK = 64;
/** Where the kernel finds the key (8 words), and where single results land. */
const KEY_AT = 0;
const OUT_AT = 64;
/** The input starts here; chunk CVs follow it. */
const INPUT_AT = 4096;
/** Room past the input and the CVs for the lanes the caller does not use (they read and write 4 KiB ahead at most). */
const SLACK = 4 * CHUNK;
const PAGE = 64 * 1024;

let compiled: WebAssembly.Module | undefined;

/**
 * BLAKE3 in keyed-hash mode with a 32-byte output (BLAKE3 spec: 1 KiB chunks, 64-byte blocks, a
 * binary tree of parent nodes whose left subtree holds the largest power of two of chunks), on our
 * WebAssembly SIMD kernel hashing four chunks or parents at once. Synchronous; each call runs alone
 * on its instance (calls never interleave in JS). The memory grows to fit the largest input seen.
 */
export function createKeyedBlake3(): (key: Uint8Array, data: Uint8Array) => Uint8Array {
  compiled ??= new WebAssembly.Module(blake3KernelWasm());
  const kernel = new WebAssembly.Instance(compiled).exports as unknown as Blake3Kernel;
  let memory = new Uint8Array(kernel.memory.buffer);

  return (key, data) => {
    if (key.length !== 32) {
      throw new RangeError(`a BLAKE3 key is 32 bytes, got ${key.length}`);
    }
    const n = data.length;
    const chunks = Math.max(1, Math.ceil(n / CHUNK));
    const cvsAt = INPUT_AT + chunks * CHUNK + SLACK;
    const needed = cvsAt + chunks * 32 + SLACK;
    if (needed > memory.length) {
      kernel.memory.grow(Math.ceil((needed - memory.length) / PAGE));
      memory = new Uint8Array(kernel.memory.buffer);
    }
    memory.set(key, KEY_AT);
    memory.set(data, INPUT_AT);
    // The last block is zero-padded (and an empty input is one all-zero block of length 0).
    memory.fill(0, INPUT_AT + n, INPUT_AT + Math.max(BLOCK, Math.ceil(n / BLOCK) * BLOCK));

    const lastAt = (chunks - 1) * CHUNK;
    const lastLength = n - lastAt;
    const lastBlocks = Math.max(1, Math.ceil(lastLength / BLOCK));
    const lastBlockLength = lastLength - (lastBlocks - 1) * BLOCK;
    if (chunks === 1) {
      kernel.compress4(
        INPUT_AT,
        0,
        lastBlocks,
        0,
        0,
        KEYED_HASH,
        CHUNK_START,
        CHUNK_END | ROOT,
        lastBlockLength,
        OUT_AT,
      );
      return memory.slice(OUT_AT, OUT_AT + 32);
    }
    for (let c = 0; c < chunks - 1; c += 4) {
      kernel.compress4(
        INPUT_AT + c * CHUNK,
        CHUNK,
        16,
        c,
        1,
        KEYED_HASH,
        CHUNK_START,
        CHUNK_END,
        BLOCK,
        cvsAt + c * 32,
      );
    }
    // After the full chunks: the lanes those groups did not need wrote over this chunk's slot.
    kernel.compress4(
      INPUT_AT + lastAt,
      0,
      lastBlocks,
      chunks - 1,
      0,
      KEYED_HASH,
      CHUNK_START,
      CHUNK_END,
      lastBlockLength,
      cvsAt + (chunks - 1) * 32,
    );

    // Pair the chaining values level by level; an odd one out moves up as it is. This is BLAKE3's
    // left-balanced tree: the carried node is always the rightmost.
    let count = chunks;
    while (count > 2) {
      const pairs = count >>> 1;
      const carried = count % 2 === 1 ? memory.slice(cvsAt + (count - 1) * 32, cvsAt + count * 32) : undefined;
      for (let p = 0; p < pairs; p += 4) {
        kernel.compress4(cvsAt + p * 64, 64, 1, 0, 0, KEYED_HASH | PARENT, 0, 0, BLOCK, cvsAt + p * 32);
      }
      if (carried !== undefined) {
        memory.set(carried, cvsAt + pairs * 32);
      }
      count = pairs + (carried === undefined ? 0 : 1);
    }
    kernel.compress4(cvsAt, 0, 1, 0, 0, KEYED_HASH | PARENT, 0, ROOT, BLOCK, OUT_AT);
    return memory.slice(OUT_AT, OUT_AT + 32);
  };
}
