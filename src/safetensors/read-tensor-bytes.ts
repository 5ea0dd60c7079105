import type { FileHandle } from "node:fs/promises";
import type { SafetensorsHeader, TensorInfo } from "./parse-safetensors-header.js";

/**
 * Reads one tensor's raw bytes into a fresh, 8-aligned buffer. MLX writes unpadded headers, so a
 * tensor may start at any file offset, and typed-array views need aligned memory.
 */
export async function readTensorBytes(
  handle: FileHandle,
  header: SafetensorsHeader,
  tensor: TensorInfo,
): Promise<Uint8Array> {
  const length = tensor.end - tensor.begin;
  const buffer = new Uint8Array(length);
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
