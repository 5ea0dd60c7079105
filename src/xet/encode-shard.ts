import { hexToHash } from "./hex-to-hash.js";
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
} from "./shard-model.js";

/**
 * Serializes a shard (spec "Shard"): header (tag, version 2, footer size), the file info section (per
 * file a header, its terms, their verification entries, the sha256 extension; then a bookend of 32
 * 0xFF bytes), the CAS info section (per xorb a header and its chunks; a bookend), and the 200-byte
 * footer only when `shard.footer` is set (a global-dedup answer; an upload MUST NOT carry one). The
 * footer's lookup tables are left empty, which hf_xet accepts (it scans the CAS section instead).
 * Writes what it is given: check it with verifyShard; key chunk hashes before, when the footer has a key.
 */
export function encodeShard(shard: Shard): Uint8Array {
  const terms = shard.files.flatMap((file) => file.terms);
  const withHash = terms.filter((term) => term.verificationHash !== undefined).length;
  if (withHash !== 0 && withHash !== terms.length) {
    throw new RangeError("a shard has verification hashes for every term of every file, or for none");
  }
  // Files without terms (empty files) carry the flag too when nothing says otherwise, as in hf_xet's shards.
  const verified = withHash === terms.length;
  let records = 2;
  for (const file of shard.files) {
    records += 1 + file.terms.length * (verified ? 2 : 1) + (file.sha256 === undefined ? 0 : 1);
  }
  for (const xorb of shard.xorbs) {
    records += 1 + xorb.chunks.length;
  }
  const footerBytes = shard.footer === undefined ? 0 : SHARD_FOOTER_BYTES;
  const out = new Uint8Array(SHARD_ENTRY_BYTES * (1 + records) + footerBytes);
  const view = new DataView(out.buffer);
  let at = 0;
  const hash = (bytes: Uint8Array): void => {
    if (bytes.length !== 32) {
      throw new RangeError(`a shard hash is 32 bytes, got ${bytes.length}`);
    }
    out.set(bytes, at);
    at += 32;
  };
  const u32 = (value: number): void => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const u64 = (value: number): void => {
    view.setBigUint64(at, value === Infinity ? 0xffffffffffffffffn : BigInt(value), true);
    at += 8;
  };
  const bookend = (): void => {
    out.fill(0xff, at, at + 32);
    at += SHARD_ENTRY_BYTES;
  };

  out.set(SHARD_TAG, 0);
  at = 32;
  u64(SHARD_HEADER_VERSION);
  u64(footerBytes);
  const fileInfoOffset = at;
  for (const file of shard.files) {
    hash(file.hash);
    u32(((verified ? FILE_FLAG_VERIFICATION : 0) | (file.sha256 === undefined ? 0 : FILE_FLAG_METADATA_EXT)) >>> 0);
    u32(file.terms.length);
    at += 8;
    for (const term of file.terms) {
      hash(term.xorbHash);
      u32(0);
      u32(term.unpackedBytes);
      u32(term.chunkStart);
      u32(term.chunkEnd);
    }
    if (verified) {
      for (const term of file.terms) {
        hash(term.verificationHash ?? new Uint8Array(0));
        at += 16;
      }
    }
    if (file.sha256 !== undefined) {
      hash(hexToHash(file.sha256));
      at += 16;
    }
  }
  bookend();
  const casInfoOffset = at;
  let unpackedInCas = 0;
  let serializedInCas = 0;
  for (const xorb of shard.xorbs) {
    hash(xorb.hash);
    u32(0);
    u32(xorb.chunks.length);
    u32(xorb.unpackedBytes);
    u32(xorb.serializedBytes);
    unpackedInCas += xorb.unpackedBytes;
    serializedInCas += xorb.serializedBytes;
    for (const chunk of xorb.chunks) {
      hash(chunk.hash);
      u32(chunk.unpackedStart);
      u32(chunk.size);
      u32(chunk.globalDedup === true ? CHUNK_FLAG_GLOBAL_DEDUP : 0);
      u32(0);
    }
  }
  bookend();
  if (shard.footer !== undefined) {
    // xet-core's MDBShardFileFooter: the three lookup tables (offset, count) point at the footer, empty.
    const footerOffset = at;
    const materialized = shard.files.reduce(
      (sum, file) => sum + file.terms.reduce((termSum, term) => termSum + term.unpackedBytes, 0),
      0,
    );
    u64(SHARD_FOOTER_VERSION);
    u64(fileInfoOffset);
    u64(casInfoOffset);
    for (let table = 0; table < 3; table++) {
      u64(footerOffset);
      u64(0);
    }
    hash(shard.footer.hmacKey);
    u64(shard.footer.createdAt);
    u64(shard.footer.expiresAt);
    at += 48;
    u64(serializedInCas);
    u64(materialized);
    u64(unpackedInCas);
    u64(footerOffset);
  }
  return out;
}
