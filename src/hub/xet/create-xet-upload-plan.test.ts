import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { seededBytes } from "../../../tests/helpers/xet-inputs.js";
import {
  createXetChunker,
  createXetHasher,
  decodeShard,
  encodeShard,
  fileHash,
  hashToHex,
  isGlobalDedupEligible,
  verifyShard,
  type Shard,
  type XetChunkRef,
  type XetHasher,
} from "../../xet/index.js";
import { createXetUploadPlan, type SealedXorb, type XetUploadPlan } from "./create-xet-upload-plan.js";
import type { XetSource } from "./xet-source.js";

let hasher: XetHasher;
beforeAll(() => {
  hasher = createXetHasher();
});

const MiB = 1024 * 1024;
const source = (label: string, bytes: Uint8Array): XetSource => ({ kind: "bytes", bytes, label });

/** A file's chunks as the Xet workers report them: hashes (32 bytes each) and sizes. */
function chunked(bytes: Uint8Array): { hashes: Uint8Array; sizes: number[]; refs: XetChunkRef[] } {
  const chunker = createXetChunker();
  const chunks = [...chunker.push(bytes), ...chunker.finish()];
  const hashes = new Uint8Array(chunks.length * 32);
  const refs = chunks.map((chunk, i) => {
    const hash = hasher.chunkHash(chunk);
    hashes.set(hash, i * 32);
    return { hash, size: chunk.length };
  });
  return { hashes, sizes: chunks.map((chunk) => chunk.length), refs };
}

/** Feeds a file to the plan in one go, settles it, and returns the queries it asked for and the xorbs it sealed. */
function feed(plan: XetUploadPlan, id: string, bytes: Uint8Array): { queries: Uint8Array[]; sealed: SealedXorb[] } {
  const { hashes, sizes } = chunked(bytes);
  plan.addFile(id, source(id, bytes));
  const queries = plan.addChunks(id, hashes, sizes);
  return { queries, sealed: plan.settle(id, sizes.length) };
}

/** What a CAS would answer to a global-dedup query for these xorbs: chunk hashes keyed with a fresh key. */
function dedupAnswer(xorbs: readonly SealedXorb[]): Shard {
  const hmacKey = new Uint8Array(randomBytes(32));
  const keyed = hasher.keyedBy(hmacKey);
  const shard = encodeShard({
    files: [],
    xorbs: xorbs.map((xorb) => {
      let start = 0;
      return {
        hash: xorb.hash,
        unpackedBytes: xorb.unpackedBytes,
        serializedBytes: 0,
        chunks: xorb.sizes.map((size, i) => {
          const chunk = { hash: keyed(xorb.chunkHashes.subarray(i * 32, i * 32 + 32)), unpackedStart: start, size };
          start += size;
          return chunk;
        }),
      };
    }),
    footer: { hmacKey, createdAt: 0, expiresAt: 2_000_000_000 },
  });
  return decodeShard(shard);
}

/** The sealed xorbs' chunks by xorb hash, as a CAS that stored them knows them. */
const stored = (xorbs: readonly SealedXorb[]) => (hash: Uint8Array) => {
  const xorb = xorbs.find((candidate) => candidate.hashHex === hashToHex(hash));
  return xorb?.sizes.map((size, i) => ({ hash: xorb.chunkHashes.subarray(i * 32, i * 32 + 32), size }));
};

describe("createXetUploadPlan", () => {
  it("cuts new chunks into xorbs at the byte cap and registers each file with true terms and verification hashes", () => {
    const plan = createXetUploadPlan(hasher, { maxXorbBytes: 1 * MiB });
    const a = seededBytes(1, 3 * MiB + 12345);
    const b = seededBytes(2, 700_000);
    const sealed = [...feed(plan, "a", a).sealed, ...feed(plan, "b", b).sealed, ...plan.sealOpen()];

    expect(sealed.length).toBeGreaterThanOrEqual(4);
    for (const xorb of sealed) {
      expect(xorb.unpackedBytes).toBeLessThanOrEqual(1 * MiB);
    }
    expect(sealed.reduce((sum, xorb) => sum + xorb.unpackedBytes, 0)).toBe(a.length + b.length);
    expect([...sealed.flatMap((xorb) => [...xorb.bytesOfFile.keys()])].sort()).toContain("b");
    const shards = plan.shards(
      new Map([
        ["a", "a".repeat(64)],
        ["b", "b".repeat(64)],
      ]),
      new Map(),
    );
    expect(shards).toHaveLength(1);
    const shard = shards[0] as Shard;
    // What the CAS checks before registering: xorbs listed, terms inside them, verification hashes, file hashes.
    expect(() => verifyShard(hasher, decodeShard(encodeShard(shard)), () => undefined)).not.toThrow();
    expect(shard.files.map((file) => hashToHex(file.hash))).toEqual([
      hashToHex(fileHash(hasher, chunked(a).refs)),
      hashToHex(fileHash(hasher, chunked(b).refs)),
    ]);
    expect(plan.outcome("a")).toMatchObject({ size: a.length, dedupedBytes: 0, repeatedBytes: 0 });
    expect(plan.outcome("a").xetHash).toBe(hashToHex(fileHash(hasher, chunked(a).refs)));
  });

  it("takes chunks the Hub already holds from a dedup answer, and cuts only the new ones into xorbs", () => {
    const first = createXetUploadPlan(hasher);
    const v1 = seededBytes(3, 4 * MiB);
    const sent = [...feed(first, "w", v1).sealed, ...first.sealOpen()];
    // The next version: a quarter in the middle replaced.
    const v2 = v1.slice();
    v2.set(seededBytes(4, MiB), 1.5 * MiB);

    const next = createXetUploadPlan(hasher);
    const { hashes, sizes } = chunked(v2);
    next.addFile("w", source("w", v2));
    const queries = next.addChunks("w", hashes, sizes);
    expect(hashToHex(queries[0] as Uint8Array)).toBe(hashToHex(hashes.subarray(0, 32)));
    next.addDedupAnswer(dedupAnswer(sent));
    const fresh = [...next.settle("w", sizes.length), ...next.sealOpen()];

    const outcome = next.outcome("w");
    const newBytes = fresh.reduce((sum, xorb) => sum + xorb.unpackedBytes, 0);
    expect(outcome.dedupedBytes + newBytes).toBe(v2.length);
    // A quarter changed; the chunks around each edge change too.
    expect(newBytes).toBeGreaterThan(MiB);
    expect(newBytes).toBeLessThan(1.4 * MiB);
    const [shard] = next.shards(new Map([["w", "c".repeat(64)]]), new Map());
    // Terms point into the first upload's xorbs and the new one: the CAS finds every one of them.
    expect(() => verifyShard(hasher, shard as Shard, stored([...sent, ...fresh]))).not.toThrow();
    expect(shard?.xorbs.map((xorb) => hashToHex(xorb.hash))).toEqual(fresh.map((xorb) => xorb.hashHex));
    expect(hashToHex(shard?.files[0]?.hash ?? new Uint8Array(32))).toBe(hashToHex(fileHash(hasher, chunked(v2).refs)));
  });

  it("sends a chunk that repeats within the upload once, and says so", () => {
    const plan = createXetUploadPlan(hasher);
    const block = seededBytes(5, 600_000);
    const twice = new Uint8Array(block.length * 2);
    twice.set(block);
    twice.set(block, block.length);
    feed(plan, "one", block);
    feed(plan, "two", twice);
    const sealed = plan.sealOpen();

    expect(sealed.reduce((sum, xorb) => sum + xorb.unpackedBytes, 0)).toBeLessThan(block.length * 1.3);
    expect(plan.outcome("two").repeatedBytes).toBeGreaterThan(block.length * 1.7);
    expect(() =>
      verifyShard(
        hasher,
        plan.shards(
          new Map([
            ["one", "1".repeat(64)],
            ["two", "2".repeat(64)],
          ]),
          new Map(),
        )[0] as Shard,
        () => undefined,
      ),
    ).not.toThrow();
  });

  it("asks about a file's first chunk, even a known one, and eligible chunks 4 MiB apart, each once", () => {
    const plan = createXetUploadPlan(hasher);
    // 200 chunks of 64 KiB with made-up hashes, eligible ones where the test wants them.
    const count = 200;
    const hashes = new Uint8Array(randomBytes(count * 32));
    const eligibleAt = [10, 20, 80, 150];
    for (let i = 0; i < count; i++) {
      // Eligible: the last u64's low 10 bits zero; every other chunk is made not eligible.
      hashes[i * 32 + 24] = eligibleAt.includes(i) ? 0 : 1;
      hashes[i * 32 + 25] = eligibleAt.includes(i) ? (hashes[i * 32 + 25] ?? 0) & 0xfc : (hashes[i * 32 + 25] ?? 0);
    }
    const hash = (i: number): string => hashToHex(hashes.subarray(i * 32, i * 32 + 32));
    expect(eligibleAt.every((i) => isGlobalDedupEligible(hashes.subarray(i * 32, i * 32 + 32)))).toBe(true);
    const sizes = Array.from({ length: count }, () => 64 * 1024);
    plan.addFile("x", source("x", new Uint8Array(0)));

    const queries = plan.addChunks("x", hashes, sizes).map(hashToHex);

    // The first chunk's query counts too: 10 and 20 are within 4 MiB of it; 80 (5 MiB in) is not,
    // and 150 is 4.4 MiB after 80.
    expect(queries).toEqual([hash(0), hash(80), hash(150)]);
    // The probes kept for the next version: the first chunk, then every eligible one.
    expect(plan.outcome("x").probes).toEqual([hash(0), ...eligibleAt.map(hash)]);

    // The same chunks again, as another file: nothing is asked twice (its first chunk, 80 and 150 were);
    // chunk 10, which the spacing skipped in x, is.
    plan.addFile("y", source("y", new Uint8Array(0)));
    expect(plan.addChunks("y", hashes, sizes).map(hashToHex)).toEqual([hash(10)]);
    // A file starting with a chunk an answer already holds is still asked about (its own answer).
    const answered = createXetUploadPlan(hasher);
    const known = seededBytes(7, 300_000);
    const sent = [...feed(answered, "old", known).sealed, ...answered.sealOpen()];
    const fresh = createXetUploadPlan(hasher);
    fresh.addDedupAnswer(dedupAnswer(sent));
    fresh.addFile("new", source("new", known));
    const { hashes: knownHashes, sizes: knownSizes } = chunked(known);
    expect(fresh.addChunks("new", knownHashes, knownSizes).map(hashToHex)).toEqual([
      hashToHex(knownHashes.subarray(0, 32)),
    ]);
  });

  it("registers an empty file with the zero hash and no terms", () => {
    const plan = createXetUploadPlan(hasher);
    plan.addFile("empty", source("empty", new Uint8Array(0)));
    expect(plan.settle("empty", 0)).toEqual([]);
    expect(plan.outcome("empty")).toMatchObject({ xetHash: "0".repeat(64), size: 0 });
    const [shard] = plan.shards(new Map([["empty", "e".repeat(64)]]), new Map());
    expect(shard?.files[0]?.terms).toEqual([]);
    expect(shard?.xorbs).toEqual([]);
  });
});
