/** A chunk as the hashes and the formats see it: its hash and its uncompressed size in bytes. */
export interface XetChunkRef {
  readonly hash: Uint8Array;
  readonly size: number;
}
