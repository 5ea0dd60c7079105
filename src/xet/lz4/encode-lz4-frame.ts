import { encodeLz4FrameInto } from "./encode-lz4-frame-into.js";

const BLOCK_BYTES = 256 * 1024;

/**
 * `data` as an LZ4 frame, in a new array (encodeLz4FrameInto): at most 11 bytes plus 4 per 256 KiB
 * block larger than `data`, since a block that does not shrink is stored as is.
 */
export function encodeLz4Frame(data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(7 + Math.ceil(data.length / BLOCK_BYTES) * 4 + data.length + 4);
  return frame.subarray(0, encodeLz4FrameInto(data, frame));
}
