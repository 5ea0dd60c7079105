import { createHash } from "node:crypto";
import { createXetChunker, type XetHasher } from "../../xet/index.js";
import { openXetSource } from "./open-xet-source.js";
import type { XetSource } from "./xet-source.js";

/** The chunks found in one block of a source: their hashes (32 bytes each, in order) and sizes. */
export interface ScannedBlock {
  hashes: Uint8Array;
  sizes: Uint32Array;
  /** Bytes of the source read so far, this block included. */
  scanned: number;
}

/**
 * One pass over a source, `blockBytes` at a time into one reused buffer: the Xet chunks (hf_xet's
 * boundaries) and their hashes, reported block by block as they are found, and the SHA-256 when
 * asked for, from the same reads. A file is checked against its identity when opened and after its
 * last byte is read, before the last block is reported, so a file that changed while it was read is
 * never taken for the one that was checked.
 */
export function scanXetSource(
  hasher: XetHasher,
  source: XetSource,
  options: { sha256: boolean; blockBytes: number; onBlock: (block: ScannedBlock) => void },
): { sha256: string | undefined } {
  const opened = openXetSource(source);
  try {
    const digest = options.sha256 ? createHash("sha256") : undefined;
    const chunker = createXetChunker();
    const buffer = new Uint8Array(Math.max(1, Math.min(options.blockBytes, opened.size)));
    const report = (chunks: readonly Uint8Array[], scanned: number): void => {
      const hashes = new Uint8Array(chunks.length * 32);
      const sizes = new Uint32Array(chunks.length);
      chunks.forEach((chunk, i) => {
        hashes.set(hasher.chunkHash(chunk), i * 32);
        sizes[i] = chunk.length;
      });
      options.onBlock({ hashes, sizes, scanned });
    };
    for (let position = 0; position < opened.size;) {
      const block = buffer.subarray(0, Math.min(buffer.length, opened.size - position));
      opened.read(block, position);
      position += block.length;
      digest?.update(block);
      // The chunker hands out views of `block`: they are hashed before the buffer is read into again.
      const chunks = chunker.push(block);
      if (position === opened.size) {
        opened.check("while it was read");
        chunks.push(...chunker.finish());
      }
      report(chunks, position);
    }
    return { sha256: digest?.digest("hex") };
  } finally {
    opened.close();
  }
}
