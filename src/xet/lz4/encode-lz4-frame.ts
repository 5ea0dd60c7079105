import { lz4CompressBlock } from "./lz4-compress-block.js";
import { xxh32 } from "./xxh32.js";

const MAGIC = 0x184d2204;
const BLOCK_BYTES = 256 * 1024;
/** FLG: version 01, independent blocks, no checksums, no content size. BD: 256 KiB blocks (one per chunk). */
const FLG = 0x60;
const BD = 0x50;
const HC = (xxh32(new Uint8Array([FLG, BD])) >>> 8) & 0xff;
const UNCOMPRESSED = 0x80000000;

const table = new Int32Array(1 << 12);
const scratch = new Uint8Array(BLOCK_BYTES);

/**
 * `data` as an LZ4 frame (LZ4 Frame Format), the container xorb chunks use for schemes LZ4 and
 * ByteGrouping4LZ4 (xet-core writes them with lz4_flex's FrameEncoder). Same parameters as lz4_flex's
 * defaults (header 60 50 FB): independent 256 KiB blocks, no checksums, so a chunk is one block and any LZ4
 * frame reader accepts it. A block that
 * does not shrink is stored as is (the block size's high bit), so the frame is at most 11 bytes plus
 * 4 per block larger than `data`.
 */
export function encodeLz4Frame(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / BLOCK_BYTES);
  const frame = new Uint8Array(7 + blocks * 4 + data.length + 4);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC, true);
  frame[4] = FLG;
  frame[5] = BD;
  frame[6] = HC;
  let at = 7;
  for (let from = 0; from < data.length; from += BLOCK_BYTES) {
    const block = data.subarray(from, from + BLOCK_BYTES);
    const packed = lz4CompressBlock(block, scratch.subarray(0, block.length - 1), table);
    if (packed > 0) {
      view.setUint32(at, packed, true);
      frame.set(scratch.subarray(0, packed), at + 4);
      at += 4 + packed;
    } else {
      view.setUint32(at, (block.length | UNCOMPRESSED) >>> 0, true);
      frame.set(block, at + 4);
      at += 4 + block.length;
    }
  }
  view.setUint32(at, 0, true);
  return frame.subarray(0, at + 4);
}
