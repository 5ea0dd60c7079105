import { chooseChunkCompression } from "./choose-chunk-compression.js";
import { compressChunk } from "./compress-chunk.js";
import { encodeXorbFooter } from "./encode-xorb-footer.js";
import type { XetHasher } from "./create-xet-hasher.js";
import { XET_LIMITS } from "./xet-limits.js";
import type { XorbChunkEntry } from "./xorb-chunk-entry.js";
import type { XorbCompression } from "./xorb-compression.js";
import { xorbHash } from "./xorb-hash.js";

export interface BuildXorbOptions {
  /**
   * "auto" (default) chooses per run of chunks as hf_xet does (chooseChunkCompression on the first
   * chunk of every 32, restarting at each file start); a scheme forces it (None, or one the chunk
   * falls back from when it does not shrink).
   */
  readonly compression?: "auto" | XorbCompression;
  /** Indices of the chunks where another file's data starts (hf_xet re-chooses the scheme there). */
  readonly fileStarts?: readonly number[];
  /** Append xet-core's footer (default false: hf_xet uploads xorbs without it). */
  readonly footer?: boolean;
}

export interface BuiltXorb {
  /** The serialized xorb: each chunk's 8-byte header and stored bytes, then the footer if asked for. */
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly chunks: readonly XorbChunkEntry[];
  /** The chunks' total uncompressed size (the shard's num_bytes_in_cas). */
  readonly unpackedBytes: number;
}

/** hf_xet's compression_scheme_retest_interval: one scheme choice per 32 chunks. */
const RETEST_INTERVAL = 32;

/**
 * Serializes chunks (bytes, and their hashes when already known) as a xorb (spec "Xorb", Xorb Format:
 * per chunk a header of version 0, compressed size (u24 LE), scheme, uncompressed size (u24 LE), then
 * the stored bytes) and computes its hash. Refuses, with a RangeError, what the CAS would refuse: no
 * chunks, an empty or over-128-KiB chunk, more than 8192 chunks or 64 MiB of data (xet-core's cut
 * rules). Cutting a stream into xorbs is the caller's job.
 */
export function buildXorb(
  hasher: XetHasher,
  chunks: readonly { readonly data: Uint8Array; readonly hash?: Uint8Array }[],
  options: BuildXorbOptions = {},
): BuiltXorb {
  const unpackedBytes = chunks.reduce((sum, chunk) => sum + chunk.data.length, 0);
  if (chunks.length === 0 || chunks.length > XET_LIMITS.maxXorbChunks || unpackedBytes > XET_LIMITS.maxXorbBytes) {
    throw new RangeError(
      `a xorb holds 1 to ${XET_LIMITS.maxXorbChunks} chunks and at most ${XET_LIMITS.maxXorbBytes} bytes, got ${chunks.length} chunks of ${unpackedBytes} bytes`,
    );
  }
  const fileStarts = new Set(options.fileStarts ?? []);
  const stored: { scheme: XorbCompression; bytes: Uint8Array }[] = [];
  let scheme: XorbCompression = 0;
  let sinceChoice = 0;
  chunks.forEach(({ data }, i) => {
    if (data.length === 0 || data.length > XET_LIMITS.maxChunkBytes) {
      throw new RangeError(`chunk ${i} has ${data.length} bytes; a chunk has 1 to ${XET_LIMITS.maxChunkBytes}`);
    }
    if (options.compression !== undefined && options.compression !== "auto") {
      scheme = options.compression;
    } else if (i === 0 || fileStarts.has(i) || sinceChoice === RETEST_INTERVAL) {
      scheme = chooseChunkCompression(data);
      sinceChoice = 0;
    }
    sinceChoice++;
    stored.push(compressChunk(data, scheme));
  });

  const entries: XorbChunkEntry[] = [];
  let offset = 0;
  let unpackedStart = 0;
  chunks.forEach(({ data, hash }, i) => {
    const { scheme: used, bytes } = stored[i] as { scheme: XorbCompression; bytes: Uint8Array };
    entries.push({
      hash: hash ?? hasher.chunkHash(data),
      size: data.length,
      unpackedStart,
      offset,
      serializedLength: 8 + bytes.length,
      compression: used,
    });
    offset += 8 + bytes.length;
    unpackedStart += data.length;
  });
  const hash = xorbHash(hasher, entries);
  const footer = options.footer
    ? encodeXorbFooter({
        hash,
        chunkHashes: entries.map((entry) => entry.hash),
        serializedEnds: entries.map((entry) => entry.offset + entry.serializedLength),
        unpackedEnds: entries.map((entry) => entry.unpackedStart + entry.size),
      })
    : new Uint8Array(0);

  const out = new Uint8Array(offset + footer.length);
  entries.forEach((entry, i) => {
    const { bytes } = stored[i] as { bytes: Uint8Array };
    const at = entry.offset;
    out[at] = 0;
    writeU24(out, at + 1, bytes.length);
    out[at + 4] = entry.compression;
    writeU24(out, at + 5, entry.size);
    out.set(bytes, at + 8);
  });
  out.set(footer, offset);
  return { bytes: out, hash, chunks: entries, unpackedBytes };
}

function writeU24(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = value >>> 16;
}
