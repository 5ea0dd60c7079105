/**
 * Bytes that break a Xet format rule (a xorb, a shard, a hash string). `reason` is a stable code a
 * server can map to its answer; the message says what is wrong and where (offset, chunk or entry index).
 */
export class XetFormatError extends Error {
  override name = "XetFormatError";
  readonly reason: XetFormatReason;

  constructor(reason: XetFormatReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export type XetFormatReason =
  | "bad-hash-string"
  | "truncated"
  | "bad-chunk-header"
  | "bad-compression"
  | "chunk-too-large"
  | "too-many-chunks"
  | "xorb-too-large"
  | "hash-mismatch"
  | "bad-footer"
  | "bad-shard-header"
  | "bad-shard-entry"
  | "bad-shard-reference"
  | "trailing-bytes";
