import { decodeXorbFooter } from "./decode-xorb-footer.js";
import { decompressChunk } from "./decompress-chunk.js";
import { hashToHex } from "./hash-to-hex.js";
import type { XetHasher } from "./create-xet-hasher.js";
import { sameBytes } from "./same-bytes.js";
import { XetFormatError } from "./xet-format-error.js";
import { XET_LIMITS } from "./xet-limits.js";
import type { XorbChunkEntry } from "./xorb-chunk-entry.js";
import type { XorbCompression } from "./xorb-compression.js";
import { XORB_FOOTER_IDENT } from "./xorb-footer.js";
import { xorbHash } from "./xorb-hash.js";

export interface ParsedXorb {
  /** The hash computed from the chunks' contents. */
  readonly hash: Uint8Array;
  readonly chunks: readonly (XorbChunkEntry & { readonly data?: Uint8Array })[];
  readonly unpackedBytes: number;
  /** Where the chunks end: the footer, if any, starts here. */
  readonly chunksEnd: number;
  readonly hasFooter: boolean;
}

/** Room for the largest footer besides the chunks: hashes and two offsets per chunk, fixed fields. */
const MAX_FOOTER_BYTES = XET_LIMITS.maxXorbChunks * 40 + 128;

/**
 * Parses and verifies a received xorb, as a CAS must before storing it (CAS API "Upload Xorb": 400
 * when the body is malformed or its hash is not the one in the path): reads every chunk header
 * (version 0, a known scheme, 1 B to 128 KiB of data, compressed size in bounds), decompresses every
 * chunk, recomputes every chunk hash and the xorb hash, and compares it with `expectedHash` when given.
 * Accepts an optional footer after the chunks and checks it against them. Size limits are checked
 * before any work. Everything wrong throws XetFormatError naming the chunk and byte offset.
 * `keepData` keeps each chunk's decompressed bytes in the result (up to 64 MiB).
 */
export function parseXorb(
  hasher: XetHasher,
  bytes: Uint8Array,
  options: { readonly expectedHash?: Uint8Array; readonly keepData?: boolean } = {},
): ParsedXorb {
  if (bytes.length > XET_LIMITS.maxXorbBytes + 8 * XET_LIMITS.maxXorbChunks + MAX_FOOTER_BYTES) {
    throw new XetFormatError("xorb-too-large", `a xorb of ${bytes.length} bytes is over the 64 MiB limit`);
  }
  const chunks: (XorbChunkEntry & { data?: Uint8Array })[] = [];
  let at = 0;
  let unpackedStart = 0;
  while (at < bytes.length && !startsWith(bytes, at, XORB_FOOTER_IDENT)) {
    const where = `chunk ${chunks.length} at byte ${at}`;
    if (at + 8 > bytes.length) {
      throw new XetFormatError("truncated", `${where}: ${bytes.length - at} bytes are too few for a chunk header`);
    }
    const version = bytes[at] as number;
    const stored = readU24(bytes, at + 1);
    const compression = bytes[at + 4] as number;
    const size = readU24(bytes, at + 5);
    if (version !== 0) {
      throw new XetFormatError("bad-chunk-header", `${where}: header version ${version}, expected 0`);
    }
    if (size === 0 || size > XET_LIMITS.maxChunkBytes || stored > 2 * XET_LIMITS.maxChunkBytes) {
      throw new XetFormatError(
        "chunk-too-large",
        `${where}: ${size} bytes stored in ${stored}; a chunk has 1 to ${XET_LIMITS.maxChunkBytes} bytes`,
      );
    }
    if (at + 8 + stored > bytes.length) {
      throw new XetFormatError("truncated", `${where}: its ${stored} stored bytes run past the end of the xorb`);
    }
    if (chunks.length === XET_LIMITS.maxXorbChunks || unpackedStart + size > XET_LIMITS.maxXorbBytes) {
      throw new XetFormatError(
        "too-many-chunks",
        `${where}: a xorb holds at most ${XET_LIMITS.maxXorbChunks} chunks and ${XET_LIMITS.maxXorbBytes} bytes of data`,
      );
    }
    let data: Uint8Array;
    try {
      data = decompressChunk(compression, bytes.subarray(at + 8, at + 8 + stored), size);
    } catch (error) {
      if (error instanceof XetFormatError) {
        throw new XetFormatError(error.reason, `${where}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    chunks.push({
      hash: hasher.chunkHash(data),
      size,
      unpackedStart,
      offset: at,
      serializedLength: 8 + stored,
      compression: compression as XorbCompression,
      ...(options.keepData ? { data: data.buffer === bytes.buffer ? data.slice() : data } : {}),
    });
    unpackedStart += size;
    at += 8 + stored;
  }
  if (chunks.length === 0) {
    throw new XetFormatError("truncated", "a xorb holds at least one chunk; this one has none");
  }
  const hash = xorbHash(hasher, chunks);
  const chunksEnd = at;
  const hasFooter = at < bytes.length;
  if (hasFooter) {
    const footer = decodeXorbFooter(bytes.subarray(at));
    const agrees =
      sameBytes(footer.hash, hash) &&
      footer.chunkHashes.length === chunks.length &&
      chunks.every(
        (chunk, i) =>
          sameBytes(footer.chunkHashes[i] as Uint8Array, chunk.hash) &&
          footer.serializedEnds[i] === chunk.offset + chunk.serializedLength &&
          footer.unpackedEnds[i] === chunk.unpackedStart + chunk.size,
      );
    if (!agrees) {
      throw new XetFormatError("bad-footer", "the xorb footer does not describe the xorb's chunks");
    }
  }
  if (options.expectedHash !== undefined && !sameBytes(options.expectedHash, hash)) {
    throw new XetFormatError(
      "hash-mismatch",
      `the xorb's chunks hash to ${hashToHex(hash)}, not ${hashToHex(options.expectedHash)}`,
    );
  }
  return { hash, chunks, unpackedBytes: unpackedStart, chunksEnd, hasFooter };
}

function readU24(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16);
}

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  return at + prefix.length <= bytes.length && prefix.every((b, i) => bytes[at + i] === b);
}
