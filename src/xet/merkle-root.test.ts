import { beforeAll, describe, expect, it } from "vitest";
import { fileHash } from "./file-hash.js";
import { hashToHex } from "./hash-to-hex.js";
import { createXetHasher, type XetHasher } from "./create-xet-hasher.js";
import { merkleRoot } from "./merkle-root.js";
import { verificationRangeHash } from "./verification-range-hash.js";
import type { XetChunkRef } from "./xet-chunk-ref.js";
import { xorbHash } from "./xorb-hash.js";

let hasher: XetHasher;
beforeAll(() => {
  hasher = createXetHasher();
});

/** A leaf whose hash has byte 24 = `low` (which decides the cuts) and `seed` elsewhere. */
function leaf(seed: number, low: number, size = 1000 + seed): XetChunkRef {
  const hash = new Uint8Array(32).fill(seed);
  hash[24] = low;
  return { hash, size };
}

/** The internal node the spec describes, built from its text form independently of merkleRoot. */
function node(children: XetChunkRef[]): XetChunkRef {
  const lines = children.map((child) => `${hashToHex(child.hash)} : ${child.size}\n`).join("");
  return {
    hash: hasher.nodeHash(new TextEncoder().encode(lines)),
    size: children.reduce((sum, child) => sum + child.size, 0),
  };
}

describe("merkleRoot", () => {
  it("is 32 zero bytes for no chunks and the chunk's own hash for one", () => {
    expect([...merkleRoot(hasher, [])]).toEqual(new Array(32).fill(0));
    const one = leaf(7, 1);
    expect(hashToHex(merkleRoot(hasher, [one]))).toBe(hashToHex(one.hash));
  });

  it("hashes two chunks as one node over their '{hash} : {size}\\n' lines", () => {
    const leaves = [leaf(1, 1), leaf(2, 2)];
    expect(hashToHex(merkleRoot(hasher, leaves))).toBe(hashToHex(node(leaves).hash));
  });

  it("closes a group after a node from the third on whose hash is 0 mod 4", () => {
    // Leaf 1 is 0 mod 4 but a group has at least 2 nodes before a cut counts; leaf 2 cuts.
    const leaves = [leaf(1, 1), leaf(2, 4), leaf(3, 8), leaf(4, 1), leaf(5, 2)];
    const expected = node([node(leaves.slice(0, 3)), node(leaves.slice(3))]);
    expect(hashToHex(merkleRoot(hasher, leaves))).toBe(hashToHex(expected.hash));
  });

  it("closes a group at 9 nodes when no hash cuts it, and repeats level by level", () => {
    const leaves = Array.from({ length: 12 }, (_, i) => leaf(i + 1, 1));
    const first = node(leaves.slice(0, 9));
    const second = node(leaves.slice(9));
    expect(hashToHex(merkleRoot(hasher, leaves))).toBe(hashToHex(node([first, second]).hash));
  });

  it("gives the xorb hash, and the file hash is that root keyed once more with zeros", () => {
    const leaves = [leaf(1, 1), leaf(2, 2), leaf(3, 3)];
    expect(hashToHex(xorbHash(hasher, leaves))).toBe(hashToHex(merkleRoot(hasher, leaves)));
    expect(hashToHex(fileHash(hasher, leaves))).toBe(hashToHex(hasher.fileHashOfRoot(merkleRoot(hasher, leaves))));
    expect([...fileHash(hasher, [])]).toEqual(new Array(32).fill(0));
  });

  it("computes a term's verification hash over the raw chunk hashes, concatenated", () => {
    const hashes = [leaf(1, 1).hash, leaf(2, 2).hash];
    const joined = new Uint8Array(64);
    joined.set(hashes[0] as Uint8Array);
    joined.set(hashes[1] as Uint8Array, 32);
    expect(hashToHex(verificationRangeHash(hasher, hashes))).toBe(hashToHex(hasher.rangeHash(joined)));
    expect(hashToHex(verificationRangeHash(hasher, hashes))).not.toBe(hashToHex(hasher.nodeHash(joined)));
  });

  it("keys each hash with its own key", () => {
    const data = new TextEncoder().encode("same bytes");
    const all = [hasher.chunkHash(data), hasher.nodeHash(data), hasher.fileHashOfRoot(data), hasher.rangeHash(data)];
    expect(new Set(all.map((hash) => hashToHex(hash))).size).toBe(4);
    const zeroKeyed = hasher.keyedBy(new Uint8Array(32));
    expect(hashToHex(zeroKeyed(data))).toBe(hashToHex(hasher.fileHashOfRoot(data)));
  });
});
