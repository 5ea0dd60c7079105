import type { FileHandle } from "node:fs/promises";
import type { SafetensorsHeader, TensorInfo } from "./parse-safetensors-header.js";

/**
 * Reads one tensor's raw bytes, into `into` when given (its first `end - begin` bytes), else into a
 * fresh buffer. MLX writes unpadded headers, so a tensor may start at any file offset, and typed-array
 * views need aligned memory: both a fresh buffer and a caller's aligned `into` give that.
 */
export async function readTensorBytes(
  handle: FileHandle,
  header: SafetensorsHeader,
  tensor: TensorInfo,
  into?: Uint8Array,
): Promise<Uint8Array> {
  const length = tensor.end - tensor.begin;
  if (into !== undefined && into.byteLength < length) {
    throw new Error(`readTensorBytes: ${into.byteLength} bytes cannot hold ${tensor.name} (${length} bytes)`);
  }
  const buffer = into === undefined ? new Uint8Array(length) : into.subarray(0, length);
  let offset = 0;
  while (offset < length) {
    const { bytesRead } = await handle.read(buffer, offset, length - offset, header.dataStart + tensor.begin + offset);
    if (bytesRead === 0) {
      throw new Error(`file ended inside tensor ${tensor.name}`);
    }
    offset += bytesRead;
  }
  return buffer;
}
