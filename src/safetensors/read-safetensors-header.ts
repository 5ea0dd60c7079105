import { open } from "node:fs/promises";
import { parseSafetensorsHeader, type SafetensorsHeader } from "./parse-safetensors-header.js";
import { readHeaderLength } from "./read-header-length.js";
import { SafetensorsError } from "./safetensors-error.js";

/**
 * Reads only the header of a safetensors file (8 bytes, then N bytes), never the data: shards can be
 * 5 GB and `readFile` stops at 2 GiB. `name` is how the file is named in errors.
 */
export async function readSafetensorsHeader(file: string, name: string): Promise<SafetensorsHeader & { size: number }> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const first8 = new Uint8Array(8);
    const { bytesRead } = await handle.read(first8, 0, 8, 0);
    const n = readHeaderLength(first8.subarray(0, bytesRead), size, name);
    const header = new Uint8Array(n);
    let offset = 0;
    while (offset < n) {
      const { bytesRead: got } = await handle.read(header, offset, n - offset, 8 + offset);
      if (got === 0) {
        throw new SafetensorsError(`${name}: file shrank while reading its header`);
      }
      offset += got;
    }
    return { ...parseSafetensorsHeader(header, size, name), size };
  } finally {
    await handle.close();
  }
}
