// The public surface of the Xet format modules (docs/xet-formats.md). Everything else in this folder
// (the Gear kernel, LZ4, byte grouping, the merkle tree) is reached through these.
export { createXetChunker, type XetChunker } from "./create-xet-chunker.js";
export { createXetHasher, type XetHasher } from "./create-xet-hasher.js";
export { hashToHex } from "./hash-to-hex.js";
export { hexToHash } from "./hex-to-hash.js";
export { fileHash } from "./file-hash.js";
export { xorbHash } from "./xorb-hash.js";
export { verificationRangeHash } from "./verification-range-hash.js";
export { buildXorb, type BuildXorbOptions, type BuiltXorb } from "./build-xorb.js";
export { createXorbWriter, type XorbWriter } from "./create-xorb-writer.js";
export { parseXorb, type ParsedXorb } from "./parse-xorb.js";
export { encodeXorbFooter } from "./encode-xorb-footer.js";
export { decodeXorbFooter } from "./decode-xorb-footer.js";
export type { XorbFooter } from "./xorb-footer.js";
export { decompressChunk } from "./decompress-chunk.js";
export { fitsInXorb } from "./fits-in-xorb.js";
export { encodeShard } from "./encode-shard.js";
export { decodeShard } from "./decode-shard.js";
export { verifyShard } from "./verify-shard.js";
export { isGlobalDedupEligible } from "./is-global-dedup-eligible.js";
export type { Shard, ShardFile, ShardFooter, ShardTerm, ShardXorb, ShardXorbChunk } from "./shard-model.js";
export type { XetChunkRef } from "./xet-chunk-ref.js";
export type { XorbChunkEntry } from "./xorb-chunk-entry.js";
export { XORB_COMPRESSION, type XorbCompression } from "./xorb-compression.js";
export { XET_LIMITS } from "./xet-limits.js";
export { XetFormatError, type XetFormatReason } from "./xet-format-error.js";
