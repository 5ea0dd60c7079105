/**
 * A shard's content (spec "Shard"): the file reconstructions of an upload and the xorbs it created, or,
 * answering a global-dedup query, xorbs only. Xet hashes are the raw 32 bytes (hashToHex gives the
 * string); decodeShard gives this back from bytes, encodeShard the reverse.
 */
export interface Shard {
  readonly files: readonly ShardFile[];
  readonly xorbs: readonly ShardXorb[];
  /** Present when the shard has a footer: a global-dedup answer has one, an uploaded shard MUST NOT. */
  readonly footer?: ShardFooter;
}

export interface ShardFile {
  /** The file's Xet hash. */
  readonly hash: Uint8Array;
  /** The terms that rebuild the file, in order (FileDataSequenceEntry). */
  readonly terms: readonly ShardTerm[];
  /**
   * The SHA-256 of the file's bytes, lowercase hex (FileMetadataExt; required by the Hub for git
   * repos, which point to files by it). Stored as hf_xet stores it: parsed like a Xet hash string.
   */
  readonly sha256?: string;
}

export interface ShardTerm {
  readonly xorbHash: Uint8Array;
  /** First chunk index in the xorb, and one past the last. */
  readonly chunkStart: number;
  readonly chunkEnd: number;
  /** The term's bytes once unpacked: the sum of its chunks' sizes. */
  readonly unpackedBytes: number;
  /** verificationRangeHash of the term's chunks (FileVerificationEntry); set on all terms of all files or none. */
  readonly verificationHash?: Uint8Array;
}

export interface ShardXorb {
  readonly hash: Uint8Array;
  /** The xorb's uncompressed bytes (num_bytes_in_cas). */
  readonly unpackedBytes: number;
  /** Its serialized length (num_bytes_on_disk); hf_xet 1.6 sends 0 here. */
  readonly serializedBytes: number;
  readonly chunks: readonly ShardXorbChunk[];
}

export interface ShardXorbChunk {
  /** The chunk hash, or its keyed hash under the footer's HMAC key when that key is not zero. */
  readonly hash: Uint8Array;
  /** Where the chunk starts in the xorb's unpacked bytes. */
  readonly unpackedStart: number;
  readonly size: number;
  /** xet-core's flag (bit 31 of the entry's flags) marking a chunk a global-dedup query may find. */
  readonly globalDedup?: boolean;
}

export interface ShardFooter {
  /** Key the CAS-section chunk hashes are keyed with (32 zero bytes: none). */
  readonly hmacKey: Uint8Array;
  /** Seconds since the epoch. */
  readonly createdAt: number;
  /** Seconds since the epoch after which a client must not dedup against this shard (hf_xet drops it from its cache); Infinity: never. */
  readonly expiresAt: number;
}

/** "HFRepoMetaData", a zero, then 17 fixed bytes: the first 32 bytes of every shard (xet-core MDB_SHARD_HEADER_TAG). */
// prettier-ignore
export const SHARD_TAG = new Uint8Array([
  72, 70, 82, 101, 112, 111, 77, 101, 116, 97, 68, 97, 116, 97, 0, 85,
  105, 103, 69, 106, 123, 129, 87, 131, 165, 189, 217, 92, 205, 209, 74, 169,
]);
export const SHARD_HEADER_VERSION = 2;
export const SHARD_FOOTER_VERSION = 1;
export const SHARD_FOOTER_BYTES = 200;
/** Every shard record (header, entry, bookend) is 48 bytes. */
export const SHARD_ENTRY_BYTES = 48;
export const FILE_FLAG_VERIFICATION = 0x80000000;
export const FILE_FLAG_METADATA_EXT = 0x40000000;
export const CHUNK_FLAG_GLOBAL_DEDUP = 0x80000000;
