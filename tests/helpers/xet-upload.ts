import {
  buildXorb,
  type BuiltXorb,
  createXetChunker,
  encodeShard,
  fileHash,
  fitsInXorb,
  hashToHex,
  type XetHasher,
  type Shard,
  type ShardFile,
  type ShardTerm,
  verificationRangeHash,
} from "../../src/xet/index.js";
import { createHash } from "node:crypto";

/** What a Xet client sends for one file: its xorbs, then a shard registering the file. */
export interface XetUpload {
  /** The file's Xet hash (string form) and SHA-256. */
  fileHash: string;
  sha256: string;
  xorbs: BuiltXorb[];
  /** The shard's content, for tests that change it before encoding. */
  shard: Shard;
  /** encodeShard(shard). */
  shardBytes: Uint8Array;
}

/**
 * A spec-conformant upload of `bytes` as one new file, built with the project's Xet format modules
 * (chunks packed as hf_xet packs them, or `chunksPerXorb` at most, to get several xorbs from little data).
 */
export function buildXetUpload(
  hasher: XetHasher,
  bytes: Uint8Array,
  options: { chunksPerXorb?: number } = {},
): XetUpload {
  const chunker = createXetChunker();
  const chunks = [...chunker.push(bytes), ...chunker.finish()].map((data) => data.slice());
  const limit = options.chunksPerXorb ?? Infinity;
  const groups: Uint8Array[][] = [];
  let open: Uint8Array[] = [];
  let openBytes = 0;
  for (const chunk of chunks) {
    if (open.length > 0 && (open.length >= limit || !fitsInXorb(open.length, openBytes, chunk.length))) {
      groups.push(open);
      open = [];
      openBytes = 0;
    }
    open.push(chunk);
    openBytes += chunk.length;
  }
  if (open.length > 0) {
    groups.push(open);
  }
  const xorbs = groups.map((group) =>
    buildXorb(
      hasher,
      group.map((data) => ({ data })),
    ),
  );
  const terms: ShardTerm[] = xorbs.map((xorb) => ({
    xorbHash: xorb.hash,
    chunkStart: 0,
    chunkEnd: xorb.chunks.length,
    unpackedBytes: xorb.unpackedBytes,
    verificationHash: verificationRangeHash(
      hasher,
      xorb.chunks.map((chunk) => chunk.hash),
    ),
  }));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const file: ShardFile = {
    hash: fileHash(
      hasher,
      xorbs.flatMap((xorb) => xorb.chunks),
    ),
    terms,
    sha256,
  };
  const shard: Shard = {
    files: [file],
    xorbs: xorbs.map((xorb) => ({
      hash: xorb.hash,
      unpackedBytes: xorb.unpackedBytes,
      serializedBytes: xorb.bytes.length,
      chunks: xorb.chunks.map(({ hash, unpackedStart, size }) => ({ hash, unpackedStart, size })),
    })),
  };
  return { fileHash: hashToHex(file.hash), sha256, xorbs, shard, shardBytes: encodeShard(shard) };
}
