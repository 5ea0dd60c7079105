import { hashToHex } from "./hash-to-hex.js";
import type { XetHasher } from "./create-xet-hasher.js";
import type { XetChunkRef } from "./xet-chunk-ref.js";

/** xet-core's mean branching factor: a node closes after a child whose hash is 0 modulo 4. */
const BRANCHING = 4;
const MAX_CHILDREN = 2 * BRANCHING + 1;

/**
 * The root of Xet's merkle tree over chunks (spec "Hashing", Xorb Hashes; xet-core
 * aggregated_hashes.rs): leaves are (chunk hash, size); each level is cut into groups of 2 to 9
 * nodes, a group ending after the first node from the third on whose hash, read as the
 * little-endian u64 of its last 8 bytes, is 0 modulo 4 (or at 9 nodes, or at the level's end); a
 * group becomes one node hashed over its "{hash hex} : {size}\n" lines, of the summed size. Levels
 * repeat until one node is left. One chunk is its own root; no chunks give 32 zero bytes.
 */
export function merkleRoot(hasher: XetHasher, chunks: readonly XetChunkRef[]): Uint8Array {
  if (chunks.length === 0) {
    return new Uint8Array(32);
  }
  let level: XetChunkRef[] = [...chunks];
  const encoder = new TextEncoder();
  while (level.length > 1) {
    const next: XetChunkRef[] = [];
    for (let start = 0; start < level.length;) {
      const end = start + groupLength(level, start);
      let lines = "";
      let size = 0;
      for (let i = start; i < end; i++) {
        const node = level[i] as XetChunkRef;
        lines += `${hashToHex(node.hash)} : ${node.size}\n`;
        size += node.size;
      }
      next.push({ hash: hasher.nodeHash(encoder.encode(lines)), size });
      start = end;
    }
    level = next;
  }
  return (level[0] as XetChunkRef).hash;
}

function groupLength(level: readonly XetChunkRef[], start: number): number {
  const left = level.length - start;
  if (left <= 2) {
    return left;
  }
  const limit = Math.min(MAX_CHILDREN, left);
  for (let i = 2; i < limit; i++) {
    // Byte 24 is the low byte of the last little-endian u64 word: modulo 4 needs only its low 2 bits.
    if (((level[start + i] as XetChunkRef).hash[24] ?? 0) % BRANCHING === 0) {
      return i + 1;
    }
  }
  return limit;
}
