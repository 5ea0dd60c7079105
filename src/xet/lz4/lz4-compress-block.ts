const MIN_MATCH = 4;
/** LZ4 block format: the last 5 bytes are always literals, and no match starts in the last 12. */
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_OFFSET = 65535;
const HASH_LOG = 12;
/** After 2^SKIP_TRIGGER misses in a row the scan steps 2, then 3... bytes: incompressible data is skimmed. */
const SKIP_TRIGGER = 6;

/**
 * Compresses `src` as one LZ4 block (the LZ4 Block Format: sequences of token, literals, 2-byte
 * offset, match length) into `dst`, greedy with a 4096-entry hash table, as LZ4's fast mode does.
 * Returns the compressed length, or -1 when it would not fit in `dst` (size `dst` below `src` to learn
 * cheaply that compressing does not pay). `table` is scratch space reused between calls.
 */
export function lz4CompressBlock(src: Uint8Array, dst: Uint8Array, table: Int32Array): number {
  const n = src.length;
  const cap = dst.length;
  let op = 0;
  let anchor = 0;
  if (n >= MF_LIMIT + 1) {
    table.fill(-1, 0, 1 << HASH_LOG);
    const matchLimit = n - LAST_LITERALS;
    const lastStart = n - MF_LIMIT;
    let ip = 0;
    let misses = 1 << SKIP_TRIGGER;
    while (ip <= lastStart) {
      const seq = read32(src, ip);
      const h = Math.imul(seq, 2654435761) >>> (32 - HASH_LOG);
      let ref = table[h] ?? -1;
      table[h] = ip;
      if (ref < 0 || ip - ref > MAX_OFFSET || read32(src, ref) !== seq) {
        ip += misses++ >> SKIP_TRIGGER;
        continue;
      }
      misses = 1 << SKIP_TRIGGER;
      while (ip > anchor && ref > 0 && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }
      let end = ip + MIN_MATCH;
      while (end < matchLimit && src[end] === src[end - ip + ref]) {
        end++;
      }
      op = writeSequence(src, anchor, ip, dst, op, cap, ip - ref, end - ip);
      if (op < 0) {
        return -1;
      }
      ip = end;
      anchor = end;
      if (ip - 2 <= lastStart && ip >= 2) {
        table[Math.imul(read32(src, ip - 2), 2654435761) >>> (32 - HASH_LOG)] = ip - 2;
      }
    }
  }
  return writeSequence(src, anchor, n, dst, op, cap, 0, 0);
}

/** Writes literals src[from, to) and, when `matchLength` > 0, the match after them. Returns the new position or -1. */
function writeSequence(
  src: Uint8Array,
  from: number,
  to: number,
  dst: Uint8Array,
  op: number,
  cap: number,
  offset: number,
  matchLength: number,
): number {
  const literals = to - from;
  const extra = matchLength - MIN_MATCH;
  if (op + 1 + literals + Math.floor(literals / 255) + 1 + (matchLength > 0 ? 3 + Math.floor(extra / 255) : 0) > cap) {
    return -1;
  }
  const token = op++;
  dst[token] = (Math.min(literals, 15) << 4) | (matchLength > 0 ? Math.min(extra, 15) : 0);
  op = writeLength(dst, op, literals);
  if (literals > 32) {
    dst.set(src.subarray(from, to), op);
    op += literals;
  } else {
    for (let i = from; i < to; i++) {
      dst[op++] = src[i] as number;
    }
  }
  if (matchLength > 0) {
    dst[op++] = offset & 0xff;
    dst[op++] = offset >>> 8;
    op = writeLength(dst, op, extra);
  }
  return op;
}

/** The bytes that extend a 4-bit length field that is full (15): 255s, then the rest. */
function writeLength(dst: Uint8Array, op: number, length: number): number {
  if (length < 15) {
    return op;
  }
  let rest = length - 15;
  while (rest >= 255) {
    dst[op++] = 255;
    rest -= 255;
  }
  dst[op++] = rest;
  return op;
}

function read32(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24);
}
