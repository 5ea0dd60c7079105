import { createXorbWriter } from "../../xet/index.js";
import { openXetSource } from "./open-xet-source.js";
import type { XorbPiece } from "./xet-source.js";

/**
 * Reads the pieces' chunks (one chunk at a time into one buffer) and serializes them as a xorb into
 * `into` (a buffer that goes from thread to thread and is used again, so no 64 MiB allocation is
 * left for the collector per xorb), compressed as hf_xet compresses, the scheme chosen afresh where
 * another source starts; returns the bytes written. `hashes` are the chunks' hashes, 32 bytes each,
 * in order. Each file is checked against its identity when opened and after its piece is read.
 */
export function buildXorbFromPieces(pieces: readonly XorbPiece[], hashes: Uint8Array, into: Uint8Array): number {
  const writer = createXorbWriter(into);
  const scratch = new Uint8Array(Math.max(0, ...pieces.flatMap((piece) => piece.sizes)));
  let index = 0;
  pieces.forEach((piece, p) => {
    const opened = openXetSource(piece.source);
    try {
      let position = piece.offset;
      piece.sizes.forEach((size, i) => {
        const data = scratch.subarray(0, size);
        opened.read(data, position);
        position += size;
        writer.add(
          data,
          hashes.subarray(index * 32, index * 32 + 32),
          i === 0 && pieces[p - 1]?.source.label !== piece.source.label,
        );
        index++;
      });
      opened.check("while it was read");
    } finally {
      opened.close();
    }
  });
  return writer.bytes().length;
}
