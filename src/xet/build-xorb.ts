import { createXorbWriter } from "./create-xorb-writer.js";
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

/**
 * Serializes chunks held in memory (bytes, and their hashes when already known) as a xorb
 * (createXorbWriter) and computes its hash. Refuses, with a RangeError, what the CAS would refuse: no
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
  const writer = createXorbWriter(new Uint8Array(unpackedBytes + 8 * chunks.length), {
    compression: options.compression ?? "auto",
  });
  const fileStarts = new Set(options.fileStarts ?? []);
  chunks.forEach(({ data, hash }, i) => writer.add(data, hash ?? hasher.chunkHash(data), fileStarts.has(i)));
  const hash = xorbHash(hasher, writer.chunks);
  const body = writer.bytes();
  if (!options.footer) {
    return { bytes: body, hash, chunks: writer.chunks, unpackedBytes };
  }
  const footer = encodeXorbFooter({
    hash,
    chunkHashes: writer.chunks.map((entry) => entry.hash),
    serializedEnds: writer.chunks.map((entry) => entry.offset + entry.serializedLength),
    unpackedEnds: writer.chunks.map((entry) => entry.unpackedStart + entry.size),
  });
  const out = new Uint8Array(body.length + footer.length);
  out.set(body);
  out.set(footer, body.length);
  return { bytes: out, hash, chunks: writer.chunks, unpackedBytes };
}
