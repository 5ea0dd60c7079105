/** What the CAS knows of a xorb it holds: its chunks, where each sits in the serialized bytes and in the data. */
export interface StoredXorb {
  /** The xorb hash in its string form (hashToHex). */
  readonly hash: string;
  readonly chunks: readonly StoredChunk[];
  /** Length of the serialized chunks (header and stored bytes of each), the footer left out. */
  readonly serializedBytes: number;
  /** The chunks' total uncompressed size. */
  readonly unpackedBytes: number;
}

export interface StoredChunk {
  readonly hash: Uint8Array;
  /** Uncompressed size. */
  readonly size: number;
  /** Where the chunk starts in the xorb's unpacked data. */
  readonly unpackedStart: number;
  /** Where its header starts in the serialized xorb. */
  readonly offset: number;
  /** Header plus stored bytes. */
  readonly serializedLength: number;
}
