/**
 * What a xorb footer (xet-core's XorbObjectInfoV1; the spec's xorb page leaves it out, and hf_xet
 * uploads xorbs without it) records: the xorb hash, each chunk's hash, where each chunk ends in the
 * serialized chunk area (header included) and in the unpacked data.
 */
export interface XorbFooter {
  readonly hash: Uint8Array;
  readonly chunkHashes: readonly Uint8Array[];
  /** Serialized end offset of each chunk, header included: chunk i is [ends[i-1], ends[i]). */
  readonly serializedEnds: readonly number[];
  /** Unpacked end offset of each chunk. */
  readonly unpackedEnds: readonly number[];
}

/** "XETBLOB": a footer starts here. Its first byte can never start a chunk (chunk header version 0). */
export const XORB_FOOTER_IDENT = new Uint8Array([0x58, 0x45, 0x54, 0x42, 0x4c, 0x4f, 0x42]);
export const XORB_HASHES_IDENT = new Uint8Array([0x58, 0x42, 0x4c, 0x42, 0x48, 0x53, 0x48]); // "XBLBHSH"
export const XORB_BOUNDARIES_IDENT = new Uint8Array([0x58, 0x42, 0x4c, 0x42, 0x42, 0x4e, 0x44]); // "XBLBBND"
/** Footer format version 1, hashes section version 0, boundaries section version 1 (with unpacked offsets). */
export const XORB_FOOTER_VERSIONS = { footer: 1, hashes: 0, boundaries: 1 } as const;
/** The reserved bytes before the final info length (xet-core's nonce buffer). */
export const XORB_FOOTER_RESERVED = 16;
