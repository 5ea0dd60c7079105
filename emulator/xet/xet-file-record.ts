/** A file the CAS can rebuild: registered by an uploaded shard, or ingested from an LFS object. */
export interface XetFileRecord {
  /** The file's Xet hash, string form. */
  readonly hash: string;
  readonly size: number;
  /** The SHA-256 of its bytes (lowercase hex): what a git repo's LFS pointer names it by. */
  readonly sha256: string;
  readonly terms: readonly XetFileTerm[];
}

/** Chunks [start, end) of one xorb, `bytes` long once unpacked. */
export interface XetFileTerm {
  readonly xorb: string;
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
}
