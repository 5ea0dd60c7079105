import { lz4CompressBlock } from "./lz4-compress-block.js";
import { xxh32 } from "./xxh32.js";

const MAGIC = 0x184d2204;
const BLOCK_BYTES = 256 * 1024;
/** FLG: version 01, independent blocks, no checksums, no content size. BD: 256 KiB blocks (one per chunk). */
const FLG = 0x60;
const BD = 0x50;
const HC = (xxh32(new Uint8Array([FLG, BD])) >>> 8) & 0xff;
const UNCOMPRESSED = 0x80000000;

/**
 * `data` as an LZ4 frame (LZ4 Frame Format), the container xorb chunks use for schemes LZ4 and
 * ByteGrouping4LZ4 (xet-core writes them with lz4_flex's FrameEncoder), written into `out`; returns
 * its length, or -1 when it does not fit (size `out` below `data` to learn cheaply that compressing
 * does not pay). Same parameters as lz4_flex's defaults (header 60 50 FB): independent 256 KiB
 * blocks, no checksums, so a chunk is one block and any LZ4 frame reader accepts it. A block that
 * does not shrink is stored as is (the block size's high bit).
 */
export function encodeLz4FrameInto(data: Uint8Array, out: Uint8Array): number {
  if (out.length < 11) {
    return -1;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, MAGIC, true);
  out[4] = FLG;
  out[5] = BD;
  out[6] = HC;
  let at = 7;
  for (let from = 0; from < data.length; from += BLOCK_BYTES) {
    const block = data.subarray(from, from + BLOCK_BYTES);
    // Compressed straight into place, and only when it comes out smaller than the block.
    const room = Math.min(block.length - 1, out.length - at - 4 - 4);
    const packed = room > 0 ? lz4CompressBlock(block, out.subarray(at + 4, at + 4 + room)) : -1;
    if (packed > 0) {
      view.setUint32(at, packed, true);
      at += 4 + packed;
    } else {
      if (at + 4 + block.length + 4 > out.length) {
        return -1;
      }
      view.setUint32(at, (block.length | UNCOMPRESSED) >>> 0, true);
      out.set(block, at + 4);
      at += 4 + block.length;
    }
  }
  if (at + 4 > out.length) {
    return -1;
  }
  view.setUint32(at, 0, true);
  return at + 4;
}
