import {
  fileHash,
  fitsInXorb,
  hashToHex,
  isGlobalDedupEligible,
  verificationRangeHash,
  XET_LIMITS,
  xorbHash,
  type Shard,
  type ShardFile,
  type ShardXorb,
  type XetHasher,
} from "../../xet/index.js";
import type { XetSource, XorbPiece } from "./xet-source.js";

/**
 * The spec's recommended spacing of global-dedup queries within a file ("Deduplication", Spacing
 * constraints): an answer describes the chunks around a hit, so nearer queries would mostly repeat it.
 */
const QUERY_SPACING_BYTES = 4 * 1024 * 1024;
/** Probes kept per file: one per 64 MiB on average besides the first chunk, so this covers files of gigabytes. */
const MAX_PROBES = 64;
/** Chunk indices below this fit a location number (xorb × this + index): a xorb holds at most 8192 chunks. */
const SLOT = XET_LIMITS.maxXorbChunks;

/** A xorb of new chunks, closed: its hash and chunks are final, its bytes still to be built (from `pieces`) and sent. */
export interface SealedXorb {
  readonly hash: Uint8Array;
  readonly hashHex: string;
  /** The chunks' hashes, 32 bytes each, in order. */
  readonly chunkHashes: Uint8Array;
  readonly sizes: readonly number[];
  readonly pieces: readonly XorbPiece[];
  readonly unpackedBytes: number;
  /** Bytes of each file (by id) in this xorb: what sending it sends of that file. */
  readonly bytesOfFile: ReadonlyMap<string, number>;
}

/** What the plan knows of one file once it is settled. */
export interface XetFileOutcome {
  /** The file's Xet hash (string form). */
  readonly xetHash: string;
  readonly size: number;
  /** Bytes the Hub already held (found through global dedup): never sent. */
  readonly dedupedBytes: number;
  /** Bytes that repeat chunks sent earlier in this upload: sent once. */
  readonly repeatedBytes: number;
  /**
   * Chunks a global-dedup query finds this file by (its first, then eligible ones, string form):
   * kept by the caller, so the upload of this file's next version can ask about them first.
   */
  readonly probes: readonly string[];
}

/**
 * The planning core of a Xet upload (pure but for hashing): which chunks each file consists of, which
 * of them the Hub already has (global-dedup answers) or this upload already sends, how the new ones
 * are cut into xorbs (hf_xet's rule, at 8192 chunks or a byte cap, in the order files settle), each
 * file's reconstruction terms, and finally the shards. The I/O shell (uploadXetFiles) feeds it the
 * scanned chunks and the answers, and builds and sends what it seals.
 */
export interface XetUploadPlan {
  addFile(id: string, source: XetSource): void;
  /**
   * The next chunks of a file, in order (hashes 32 bytes each). Returns the chunk hashes worth a
   * global-dedup query, each asked once: the file's first chunk, and eligible chunks
   * (isGlobalDedupEligible) at least 4 MiB apart that are not known already.
   */
  addChunks(id: string, hashes: Uint8Array, sizes: ArrayLike<number>): Uint8Array[];
  /** A global-dedup answer: a shard whose CAS section lists xorbs, chunk hashes keyed with its footer's key. */
  addDedupAnswer(shard: Shard): void;
  /** A chunk asked about outside the plan (a probe of a file's last version): not to be asked again. */
  asked(hash: Uint8Array): void;
  /**
   * Decides the file's chunks below `upTo` (every query that could bear on them answered): each is
   * the Hub's, repeats one of this upload, or is new and goes into the open xorb. Returns the xorbs
   * that filled up meanwhile.
   */
  settle(id: string, upTo: number): SealedXorb[];
  /** How many chunks of the file are known and settled, and the bytes settled so far that need not be sent. */
  progress(id: string): { chunks: number; settled: number; dedupedBytes: number; repeatedBytes: number };
  /** Closes the open xorb, once every file is settled (nothing is sealed when it is empty). */
  sealOpen(): SealedXorb[];
  outcome(id: string): XetFileOutcome;
  /**
   * The shards that register the files (each with its SHA-256) and list the new xorbs (with the
   * sizes they were sent with), split so none exceeds 64 MiB. Every file must be settled.
   */
  shards(files: ReadonlyMap<string, string>, sentBytes: ReadonlyMap<string, number>): Shard[];
}

interface Term {
  /** A xorb of this upload (its index in `xorbs`), or one the Hub holds (its hash). */
  readonly xorb: number | Uint8Array;
  readonly start: number;
  end: number;
  bytes: number;
  /** The file's chunks this term covers start here (for its verification hash). */
  readonly fileChunk: number;
}

interface PlannedFile {
  readonly source: XetSource;
  hashes: Uint8Array;
  sizes: number[];
  settled: number;
  /** Where the next chunk to settle starts in the file. */
  offset: number;
  /** Where the next chunk to add starts in the file. */
  added: number;
  nextQueryAt: number;
  terms: Term[];
  dedupedBytes: number;
  repeatedBytes: number;
  probes: string[];
}

interface LocalXorb {
  hashes: Uint8Array;
  sizes: number[];
  pieces: Array<{ source: XetSource; offset: number; sizes: number[] }>;
  bytes: number;
  bytesOfFile: Map<string, number>;
  sealed: SealedXorb | undefined;
}

interface Answer {
  readonly keyed: ((hash: Uint8Array) => Uint8Array) | undefined;
  /** Every chunk hash of the answer as it lists it (keyed), 32 bytes each, and where each is: xorb × SLOT + index. */
  readonly hashes: Uint8Array;
  readonly where: Int32Array;
  /** key(hash) → its place in `hashes` (the first, when a key repeats). */
  readonly index: Map<number, number>;
  readonly xorbs: Uint8Array[];
}

/**
 * A hash's first 6 bytes as a number: a compact map key (no string per chunk; a dedup answer lists
 * thousands). Two hashes may share one, so a hit is checked against the whole hash.
 */
const key = (hash: Uint8Array): number =>
  ((hash[0] ?? 0) | ((hash[1] ?? 0) << 8) | ((hash[2] ?? 0) << 16)) +
  ((hash[3] ?? 0) + (hash[4] ?? 0) * 256 + (hash[5] ?? 0) * 65536) * 16777216;

/** Whether the 32 bytes at `at` in `list` are `hash`. */
function sameHash(list: Uint8Array, at: number, hash: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    if (list[at + i] !== hash[i]) {
      return false;
    }
  }
  return true;
}

/** The plan of one upload; see XetUploadPlan. `maxXorbBytes` caps a xorb's chunk data (at most the spec's 64 MiB). */
export function createXetUploadPlan(hasher: XetHasher, options: { maxXorbBytes?: number } = {}): XetUploadPlan {
  const maxXorbBytes = Math.min(options.maxXorbBytes ?? XET_LIMITS.maxXorbBytes, XET_LIMITS.maxXorbBytes);
  const files = new Map<string, PlannedFile>();
  const xorbs: LocalXorb[] = [];
  const answers: Answer[] = [];
  /** Chunks of this upload's xorbs: key(hash) → xorb index × SLOT + chunk index (checked against the xorb's hashes). */
  const local = new Map<number, number>();
  /** Chunks asked about (by key: a rare false "asked" only skips a query). */
  const asked = new Set<number>();
  const inLocal = (hash: Uint8Array): number | undefined => {
    const found = local.get(key(hash));
    if (found === undefined) {
      return undefined;
    }
    const xorb = xorbs[Math.floor(found / SLOT)];
    return xorb !== undefined && sameHash(xorb.hashes, (found % SLOT) * 32, hash) ? found : undefined;
  };

  const file = (id: string): PlannedFile => {
    const found = files.get(id);
    if (found === undefined) {
      throw new Error(`no file ${id} in the Xet plan`);
    }
    return found;
  };
  const onHub = (hash: Uint8Array): { xorb: Uint8Array; index: number } | undefined => {
    for (const answer of answers) {
      const listed = answer.keyed === undefined ? hash : answer.keyed(hash);
      const at = answer.index.get(key(listed));
      if (at !== undefined && sameHash(answer.hashes, at * 32, listed)) {
        const found = answer.where[at] as number;
        return { xorb: answer.xorbs[Math.floor(found / SLOT)] as Uint8Array, index: found % SLOT };
      }
    }
    return undefined;
  };
  const openXorb = (): LocalXorb => {
    const last = xorbs.at(-1);
    if (last !== undefined && last.sealed === undefined) {
      return last;
    }
    const fresh: LocalXorb = {
      hashes: new Uint8Array(32 * 64),
      sizes: [],
      pieces: [],
      bytes: 0,
      bytesOfFile: new Map(),
      sealed: undefined,
    };
    xorbs.push(fresh);
    return fresh;
  };
  const seal = (xorb: LocalXorb): SealedXorb => {
    const chunkHashes = xorb.hashes.slice(0, xorb.sizes.length * 32);
    const hash = xorbHash(
      hasher,
      xorb.sizes.map((size, i) => ({ hash: chunkHashes.subarray(i * 32, i * 32 + 32), size })),
    );
    xorb.sealed = {
      hash,
      hashHex: hashToHex(hash),
      chunkHashes,
      sizes: xorb.sizes,
      pieces: xorb.pieces,
      unpackedBytes: xorb.bytes,
      bytesOfFile: xorb.bytesOfFile,
    };
    // Its chunk data lives in the files; the plan keeps only what the shard needs.
    xorb.hashes = chunkHashes;
    return xorb.sealed;
  };
  const extend = (planned: PlannedFile, xorb: number | Uint8Array, index: number, size: number, at: number): void => {
    const last = planned.terms.at(-1);
    const same =
      last !== undefined &&
      last.end === index &&
      (typeof xorb === "number" ? last.xorb === xorb : last.xorb instanceof Uint8Array && sameHash(last.xorb, 0, xorb));
    if (same) {
      last.end++;
      last.bytes += size;
    } else {
      planned.terms.push({ xorb, start: index, end: index + 1, bytes: size, fileChunk: at });
    }
  };

  return {
    addFile(id, source) {
      if (files.has(id)) {
        throw new Error(`file ${id} is already in the Xet plan`);
      }
      files.set(id, {
        source,
        hashes: new Uint8Array(32 * 64),
        sizes: [],
        settled: 0,
        offset: 0,
        added: 0,
        nextQueryAt: 0,
        terms: [],
        dedupedBytes: 0,
        repeatedBytes: 0,
        probes: [],
      });
    },

    addChunks(id, hashes, sizes) {
      const planned = file(id);
      const count = planned.sizes.length;
      if (planned.hashes.length < (count + sizes.length) * 32) {
        const grown = new Uint8Array(Math.max(planned.hashes.length * 2, (count + sizes.length) * 32));
        grown.set(planned.hashes.subarray(0, count * 32));
        planned.hashes = grown;
      }
      planned.hashes.set(hashes.subarray(0, sizes.length * 32), count * 32);
      const queries: Uint8Array[] = [];
      for (let i = 0; i < sizes.length; i++) {
        const size = sizes[i] as number;
        const hash = hashes.subarray(i * 32, i * 32 + 32);
        const at = planned.added;
        planned.sizes.push(size);
        planned.added += size;
        const first = count + i === 0;
        if ((first || isGlobalDedupEligible(hash)) && planned.probes.length < MAX_PROBES) {
          planned.probes.push(hashToHex(hash));
        }
        if ((first || (isGlobalDedupEligible(hash) && at >= planned.nextQueryAt)) && !asked.has(key(hash))) {
          // A known chunk needs no answer, except a file's first: its answer describes the xorbs of
          // the files that start with it (this file's last version, say), which another answer that
          // happened to hold the chunk may not.
          if (!first && (inLocal(hash) !== undefined || onHub(hash) !== undefined)) {
            continue;
          }
          asked.add(key(hash));
          planned.nextQueryAt = at + QUERY_SPACING_BYTES;
          queries.push(hash.slice());
        }
      }
      return queries;
    },

    addDedupAnswer(shard) {
      const hmacKey = shard.footer?.hmacKey;
      const keyed = hmacKey === undefined || hmacKey.every((byte) => byte === 0) ? undefined : hasher.keyedBy(hmacKey);
      // Kept flat: the decoded shard's object per chunk is dropped once indexed.
      const count = shard.xorbs.reduce((sum, xorb) => sum + xorb.chunks.length, 0);
      const hashes = new Uint8Array(count * 32);
      const where = new Int32Array(count);
      const index = new Map<number, number>();
      let at = 0;
      shard.xorbs.forEach((xorb, x) => {
        xorb.chunks.forEach((chunk, i) => {
          hashes.set(chunk.hash, at * 32);
          where[at] = x * SLOT + i;
          if (!index.has(key(chunk.hash))) {
            index.set(key(chunk.hash), at);
          }
          at++;
        });
      });
      answers.push({ keyed, hashes, where, index, xorbs: shard.xorbs.map((xorb) => xorb.hash.slice()) });
    },

    asked(hash) {
      asked.add(key(hash));
    },

    settle(id, upTo) {
      const planned = file(id);
      const sealed: SealedXorb[] = [];
      for (let i = planned.settled; i < Math.min(upTo, planned.sizes.length); i++) {
        const hash = planned.hashes.subarray(i * 32, i * 32 + 32);
        const size = planned.sizes[i] as number;
        const at = planned.offset;
        planned.offset += size;
        const remote = onHub(hash);
        if (remote !== undefined) {
          extend(planned, remote.xorb, remote.index, size, i);
          planned.dedupedBytes += size;
          continue;
        }
        const repeated = inLocal(hash);
        if (repeated !== undefined) {
          extend(planned, Math.floor(repeated / SLOT), repeated % SLOT, size, i);
          planned.repeatedBytes += size;
          continue;
        }
        let xorb = openXorb();
        if (!fitsInXorb(xorb.sizes.length, xorb.bytes, size) || xorb.bytes + size > maxXorbBytes) {
          sealed.push(seal(xorb));
          xorb = openXorb();
        }
        const index = xorb.sizes.length;
        const x = xorbs.length - 1;
        if (xorb.hashes.length < (index + 1) * 32) {
          const grown = new Uint8Array(xorb.hashes.length * 2);
          grown.set(xorb.hashes);
          xorb.hashes = grown;
        }
        xorb.hashes.set(hash, index * 32);
        xorb.sizes.push(size);
        xorb.bytes += size;
        xorb.bytesOfFile.set(id, (xorb.bytesOfFile.get(id) ?? 0) + size);
        const piece = xorb.pieces.at(-1);
        if (piece?.source === planned.source && piece.offset + piece.sizes.reduce((a, b) => a + b, 0) === at) {
          piece.sizes.push(size);
        } else {
          xorb.pieces.push({ source: planned.source, offset: at, sizes: [size] });
        }
        local.set(key(hash), x * SLOT + index);
        extend(planned, x, index, size, i);
      }
      planned.settled = Math.max(planned.settled, Math.min(upTo, planned.sizes.length));
      return sealed;
    },

    progress(id) {
      const planned = file(id);
      return {
        chunks: planned.sizes.length,
        settled: planned.settled,
        dedupedBytes: planned.dedupedBytes,
        repeatedBytes: planned.repeatedBytes,
      };
    },

    sealOpen() {
      const last = xorbs.at(-1);
      return last !== undefined && last.sealed === undefined && last.sizes.length > 0 ? [seal(last)] : [];
    },

    outcome(id) {
      const planned = file(id);
      const hash = fileHash(
        hasher,
        planned.sizes.map((size, i) => ({ hash: planned.hashes.subarray(i * 32, i * 32 + 32), size })),
      );
      return {
        xetHash: hashToHex(hash),
        size: planned.added,
        dedupedBytes: planned.dedupedBytes,
        repeatedBytes: planned.repeatedBytes,
        probes: planned.probes,
      };
    },

    shards(sha256s, sentBytes) {
      const shardFiles: ShardFile[] = [];
      for (const [id, sha256] of sha256s) {
        const planned = file(id);
        if (planned.settled !== planned.sizes.length) {
          throw new Error(`file ${id} is not settled`);
        }
        shardFiles.push({
          hash: fileHash(
            hasher,
            planned.sizes.map((size, i) => ({ hash: planned.hashes.subarray(i * 32, i * 32 + 32), size })),
          ),
          terms: planned.terms.map((term) => {
            const xorb = typeof term.xorb === "number" ? xorbs[term.xorb]?.sealed?.hash : term.xorb;
            if (xorb === undefined) {
              throw new Error(`file ${id} refers to a xorb that was never sealed`);
            }
            const count = term.end - term.start;
            return {
              xorbHash: xorb,
              chunkStart: term.start,
              chunkEnd: term.end,
              unpackedBytes: term.bytes,
              verificationHash: verificationRangeHash(
                hasher,
                Array.from({ length: count }, (_, i) =>
                  planned.hashes.subarray((term.fileChunk + i) * 32, (term.fileChunk + i) * 32 + 32),
                ),
              ),
            };
          }),
          sha256,
        });
      }
      const shardXorbs: ShardXorb[] = xorbs.flatMap((xorb) => {
        const sealed = xorb.sealed;
        if (sealed === undefined) {
          return [];
        }
        let start = 0;
        return [
          {
            hash: sealed.hash,
            unpackedBytes: sealed.unpackedBytes,
            serializedBytes: sentBytes.get(sealed.hashHex) ?? 0,
            chunks: sealed.sizes.map((size, i) => {
              const chunk = { hash: sealed.chunkHashes.subarray(i * 32, i * 32 + 32), unpackedStart: start, size };
              start += size;
              return chunk;
            }),
          },
        ];
      });
      return splitShards(shardFiles, shardXorbs);
    },
  };
}

/** Upload Protocol: a shard over 64 MiB MUST be split. Records are 48 bytes; header, bookends and slack aside. */
const SHARD_RECORDS = Math.floor((64 * 1024 * 1024) / 48) - 16;

/** Packs the xorbs, then the files, into as few shards as keep each under 64 MiB. */
function splitShards(files: readonly ShardFile[], xorbs: readonly ShardXorb[]): Shard[] {
  const shards: Array<{ files: ShardFile[]; xorbs: ShardXorb[] }> = [];
  let current = { files: [] as ShardFile[], xorbs: [] as ShardXorb[] };
  let records = 0;
  const add = (size: number, put: () => void): void => {
    if (records + size > SHARD_RECORDS && records > 0) {
      shards.push(current);
      current = { files: [], xorbs: [] };
      records = 0;
    }
    put();
    records += size;
  };
  for (const xorb of xorbs) {
    add(1 + xorb.chunks.length, () => current.xorbs.push(xorb));
  }
  for (const shardFile of files) {
    add(2 + 2 * shardFile.terms.length, () => current.files.push(shardFile));
  }
  if (records > 0 || shards.length === 0) {
    shards.push(current);
  }
  return shards;
}
