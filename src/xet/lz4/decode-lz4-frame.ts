import { XetFormatError } from "../xet-format-error.js";
import { lz4DecompressBlock } from "./lz4-decompress-block.js";
import { xxh32 } from "./xxh32.js";

const MAGIC = 0x184d2204;
const UNCOMPRESSED = 0x80000000;

/**
 * Decodes one LZ4 frame (LZ4 Frame Format) that must fill exactly `size` bytes and nothing more: the
 * compressed data of one xorb chunk, whose header states its uncompressed size. Accepts every frame
 * option an encoder may choose (linked or independent blocks, any block size, block and content
 * checksums, content size) and verifies each checksum present; refuses dictionaries, skippable or
 * legacy frames, trailing bytes, and anything malformed, with XetFormatError("bad-compression").
 */
export function decodeLz4Frame(frame: Uint8Array, size: number): Uint8Array {
  const fail = (what: string): never => {
    throw new XetFormatError("bad-compression", `LZ4 frame: ${what}`);
  };
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < 7 || view.getUint32(0, true) !== MAGIC) {
    fail("no LZ4 frame magic number");
  }
  const flg = frame[4] ?? 0;
  const bd = frame[5] ?? 0;
  if (flg >>> 6 !== 1 || (flg & 0x02) !== 0 || (bd & 0x8f) !== 0 || bd >>> 4 < 4) {
    fail(`unsupported frame descriptor (FLG ${flg}, BD ${bd})`);
  }
  if ((flg & 0x01) !== 0) {
    fail("frames with a dictionary are not used by Xet");
  }
  const linked = (flg & 0x20) === 0;
  const blockChecksums = (flg & 0x10) !== 0;
  const contentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const maxBlock = 1 << (8 + 2 * (bd >>> 4));
  let at = 6;
  if (contentSize) {
    if (frame.length < 14 || view.getBigUint64(6, true) !== BigInt(size)) {
      fail(`content size differs from the chunk's ${size} bytes`);
    }
    at = 14;
  }
  if (frame.length <= at || ((xxh32(frame.subarray(4, at)) >>> 8) & 0xff) !== frame[at]) {
    fail("header checksum mismatch");
  }
  at += 1;
  const out = new Uint8Array(size);
  let written = 0;
  for (;;) {
    if (at + 4 > frame.length) {
      fail("cut off before its end mark");
    }
    const word = view.getUint32(at, true);
    at += 4;
    if (word === 0) {
      break;
    }
    const length = word & ~UNCOMPRESSED;
    if (length > maxBlock || at + length + (blockChecksums ? 4 : 0) > frame.length) {
      fail(`block of ${length} bytes is larger than allowed or cut off`);
    }
    if ((word & UNCOMPRESSED) !== 0) {
      if (written + length > size) {
        fail(`holds more than the chunk's ${size} bytes`);
      }
      out.set(frame.subarray(at, at + length), written);
      written += length;
    } else {
      written = lz4DecompressBlock(
        frame,
        at,
        at + length,
        out,
        written,
        Math.min(size, written + maxBlock),
        linked ? 0 : written,
      );
    }
    if (blockChecksums && view.getUint32(at + length, true) !== xxh32(frame.subarray(at, at + length))) {
      fail(`block checksum mismatch at byte ${at}`);
    }
    at += length + (blockChecksums ? 4 : 0);
  }
  if (contentChecksum) {
    if (at + 4 > frame.length || view.getUint32(at, true) !== xxh32(out)) {
      fail("content checksum mismatch");
    }
    at += 4;
  }
  if (at !== frame.length) {
    fail(`${frame.length - at} bytes after the end mark`);
  }
  if (written !== size) {
    fail(`decodes to ${written} bytes, the chunk header says ${size}`);
  }
  return out;
}
