/** The compression schemes of a xorb chunk header (spec "Xorb", Chunk Compression Schemes), by their byte value. */
export const XORB_COMPRESSION = {
  none: 0,
  lz4: 1,
  bg4Lz4: 2,
} as const;

export type XorbCompression = (typeof XORB_COMPRESSION)[keyof typeof XORB_COMPRESSION];
