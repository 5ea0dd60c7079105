import { hashToHex } from "./hash-to-hex.js";
import {
  CHUNK_FLAG_GLOBAL_DEDUP,
  FILE_FLAG_METADATA_EXT,
  FILE_FLAG_VERIFICATION,
  SHARD_ENTRY_BYTES,
  SHARD_FOOTER_BYTES,
  SHARD_FOOTER_VERSION,
  SHARD_HEADER_VERSION,
  SHARD_TAG,
  type Shard,
  type ShardFile,
  type ShardFooter,
  type ShardTerm,
  type ShardXorb,
  type ShardXorbChunk,
} from "./shard-model.js";
import { XetFormatError } from "./xet-format-error.js";

/**
 * Parses a shard (spec "Shard", Complete Deserialization Algorithm, read linearly): the header's tag,
 * version 2 and footer size (0 or 200); the file info section up to its bookend, with each file's
 * verification entries and sha256 extension as its flags say, all files verified or none (xet-core
 * refuses a mix); the CAS info section up to its bookend; and the footer, whose version and section
 * offsets must match what was read. Counts are checked against the bytes left before anything is
 * allocated; anything malformed, cut off or trailing throws XetFormatError. Structure only: verifyShard
 * checks that the hashes and references are true.
 */
export function decodeShard(bytes: Uint8Array): Shard {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (reason: "bad-shard-header" | "bad-shard-entry" | "truncated", what: string): never => {
    throw new XetFormatError(reason, `shard: ${what}`);
  };
  if (bytes.length < SHARD_ENTRY_BYTES || !SHARD_TAG.every((b, i) => bytes[i] === b)) {
    fail("bad-shard-header", "does not start with the shard tag");
  }
  if (view.getBigUint64(32, true) !== BigInt(SHARD_HEADER_VERSION)) {
    fail("bad-shard-header", `header version ${view.getBigUint64(32, true)}, expected ${SHARD_HEADER_VERSION}`);
  }
  const footerSize = view.getBigUint64(40, true);
  if (footerSize !== 0n && footerSize !== BigInt(SHARD_FOOTER_BYTES)) {
    fail("bad-shard-header", `footer size ${footerSize}, expected 0 or ${SHARD_FOOTER_BYTES}`);
  }
  const sectionsEnd = bytes.length - Number(footerSize);
  let at = SHARD_ENTRY_BYTES;
  const record = (what: string): number => {
    if (at + SHARD_ENTRY_BYTES > sectionsEnd) {
      fail("truncated", `cut off in the ${what} at byte ${at}`);
    }
    at += SHARD_ENTRY_BYTES;
    return at - SHARD_ENTRY_BYTES;
  };
  const hashAt = (offset: number): Uint8Array => bytes.slice(offset, offset + 32);
  const isBookend = (offset: number): boolean => {
    for (let i = 0; i < 32; i++) {
      if (bytes[offset + i] !== 0xff) {
        return false;
      }
    }
    return true;
  };
  const u32 = (offset: number): number => view.getUint32(offset, true);
  const roomFor = (count: number, what: string): void => {
    if (count * SHARD_ENTRY_BYTES > sectionsEnd - at) {
      fail("truncated", `${what} claims ${count} entries, more than the shard holds`);
    }
  };

  const fileInfoOffset = at;
  const files: ShardFile[] = [];
  let verifiedFiles = 0;
  for (;;) {
    const header = record("file info section");
    if (isBookend(header)) {
      break;
    }
    const flags = u32(header + 32);
    const count = u32(header + 36);
    const verified = (flags & FILE_FLAG_VERIFICATION) !== 0;
    const withSha = (flags & FILE_FLAG_METADATA_EXT) !== 0;
    const where = `file ${files.length} (${hashToHex(hashAt(header))})`;
    roomFor(count * (verified ? 2 : 1) + (withSha ? 1 : 0), where);
    const terms: ShardTerm[] = [];
    for (let i = 0; i < count; i++) {
      const entry = record(where);
      terms.push({
        xorbHash: hashAt(entry),
        unpackedBytes: u32(entry + 36),
        chunkStart: u32(entry + 40),
        chunkEnd: u32(entry + 44),
      });
    }
    if (verified) {
      verifiedFiles++;
      for (let i = 0; i < count; i++) {
        terms[i] = { ...(terms[i] as ShardTerm), verificationHash: hashAt(record(where)) };
      }
    }
    const sha256 = withSha ? hashToHex(hashAt(record(where))) : undefined;
    files.push({ hash: hashAt(header), terms, ...(sha256 === undefined ? {} : { sha256 }) });
  }
  if (verifiedFiles !== 0 && verifiedFiles !== files.length) {
    fail("bad-shard-entry", `${verifiedFiles} of ${files.length} files have verification entries: all or none may`);
  }

  const casInfoOffset = at;
  const xorbs: ShardXorb[] = [];
  for (;;) {
    const header = record("CAS info section");
    if (isBookend(header)) {
      break;
    }
    const count = u32(header + 36);
    roomFor(count, `xorb ${xorbs.length}`);
    const chunks: ShardXorbChunk[] = [];
    for (let i = 0; i < count; i++) {
      const entry = record(`xorb ${xorbs.length}`);
      const globalDedup = (u32(entry + 40) & CHUNK_FLAG_GLOBAL_DEDUP) !== 0;
      chunks.push({
        hash: hashAt(entry),
        unpackedStart: u32(entry + 32),
        size: u32(entry + 36),
        ...(globalDedup ? { globalDedup } : {}),
      });
    }
    xorbs.push({ hash: hashAt(header), unpackedBytes: u32(header + 40), serializedBytes: u32(header + 44), chunks });
  }

  if (footerSize === 0n) {
    if (at !== bytes.length) {
      fail("bad-shard-entry", `${bytes.length - at} bytes after the CAS info section`);
    }
    return { files, xorbs };
  }
  return { files, xorbs, footer: readFooter(view, bytes, at, fileInfoOffset, casInfoOffset, fail) };
}

function readFooter(
  view: DataView,
  bytes: Uint8Array,
  sectionsEnd: number,
  fileInfoOffset: number,
  casInfoOffset: number,
  fail: (reason: "bad-shard-header", what: string) => never,
): ShardFooter {
  const at = bytes.length - SHARD_FOOTER_BYTES;
  const u64 = (offset: number): bigint => view.getBigUint64(at + offset, true);
  if (u64(0) !== BigInt(SHARD_FOOTER_VERSION)) {
    fail("bad-shard-header", `footer version ${u64(0)}, expected ${SHARD_FOOTER_VERSION}`);
  }
  if (u64(8) !== BigInt(fileInfoOffset) || u64(16) !== BigInt(casInfoOffset) || u64(192) !== BigInt(at)) {
    fail("bad-shard-header", "footer offsets do not match the sections");
  }
  // xet-core puts lookup tables between the CAS section and the footer; each must lie there. The spec
  // calls these 48 bytes reserved, and @huggingface/hub leaves them zero: an empty table may point anywhere.
  for (let table = 0; table < 3; table++) {
    const offset = u64(24 + table * 16);
    const count = u64(32 + table * 16);
    const entryBytes = table === 2 ? 16n : 12n;
    if (count !== 0n && (offset < BigInt(sectionsEnd) || offset + count * entryBytes > BigInt(at))) {
      fail("bad-shard-header", "a footer lookup table lies outside the space before the footer");
    }
  }
  const seconds = (value: bigint): number => (value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value));
  return {
    hmacKey: bytes.slice(at + 72, at + 104),
    createdAt: seconds(u64(104)),
    expiresAt: seconds(u64(112)),
  };
}
