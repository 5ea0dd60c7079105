import { XetFormatError } from "../xet-format-error.js";

/**
 * Decompresses one LZ4 block (LZ4 Block Format) from src[start, end) into dst at `out`, never past
 * `dstEnd`, with match offsets allowed to reach back to `historyStart` (the block's own start for
 * independent blocks, the frame's start for linked ones). Returns where the output ends. Every length
 * and offset is checked: malformed or hostile input throws XetFormatError("bad-compression").
 */
export function lz4DecompressBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  out: number,
  dstEnd: number,
  historyStart: number,
): number {
  let ip = start;
  let op = out;
  const fail = (what: string): never => {
    throw new XetFormatError("bad-compression", `LZ4 block at byte ${start}: ${what}`);
  };
  while (ip < end) {
    const token = src[ip++] ?? 0;
    let literals = token >>> 4;
    if (literals === 15) {
      let byte: number;
      do {
        if (ip >= end) {
          fail("literal length runs past the block");
        }
        byte = src[ip++] ?? 0;
        literals += byte;
      } while (byte === 255);
    }
    if (ip + literals > end || op + literals > dstEnd) {
      fail("literals run past the block or the expected size");
    }
    if (literals > 32) {
      dst.set(src.subarray(ip, ip + literals), op);
      ip += literals;
      op += literals;
    } else {
      // Short runs are most of them in compressible data; a subarray per run costs more than the copy.
      for (const stop = ip + literals; ip < stop;) {
        dst[op++] = src[ip++] as number;
      }
    }
    if (ip === end) {
      return op;
    }
    if (ip + 2 > end) {
      fail("match offset cut off");
    }
    const offset = (src[ip] ?? 0) | ((src[ip + 1] ?? 0) << 8);
    ip += 2;
    if (offset === 0 || op - offset < historyStart) {
      fail(`match offset ${offset} points before the data`);
    }
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      let byte: number;
      do {
        if (ip >= end) {
          fail("match length runs past the block");
        }
        byte = src[ip++] ?? 0;
        length += byte;
      } while (byte === 255);
    }
    if (op + length > dstEnd) {
      fail("match runs past the expected size");
    }
    const from = op - offset;
    if (length <= 32) {
      for (let i = from, stop = op + length; op < stop;) {
        dst[op++] = dst[i++] as number;
      }
    } else {
      // An overlapping match repeats the last `offset` bytes: copy whole periods, doubling each time.
      for (let copied = 0; copied < length;) {
        const n = Math.min(copied + offset, length - copied);
        dst.copyWithin(op + copied, from, from + n);
        copied += n;
      }
      op += length;
    }
  }
  return fail("block ends with a match (the last sequence must be literals only)");
}
