import { createHash } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { serializeHeader, type OutputTensor } from "./serialize-header.js";

/**
 * Writes a safetensors file one tensor at a time: `produce(i)` is called in order and its bytes are
 * written at once, so memory holds one tensor, never the file. Writes to `<file>.tmp-<pid>` and renames,
 * so no reader ever sees a half-written file under the real name (no fsync: outputs are staging
 * files, rebuilt on the next run if lost). Returns size and sha256.
 */
export async function writeSafetensors(
  file: string,
  tensors: readonly OutputTensor[],
  metadata: Record<string, string> | null,
  produce: (index: number) => Promise<Uint8Array>,
): Promise<{ size: number; sha256: string }> {
  const { bytes, sizes } = serializeHeader(tensors, metadata);
  const temp = `${file}.tmp-${process.pid}`;
  const hash = createHash("sha256");
  const handle = await open(temp, "w");
  let size = 0;
  try {
    const write = async (chunk: Uint8Array): Promise<void> => {
      let written = 0;
      while (written < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written, size + written);
        written += bytesWritten;
      }
      hash.update(chunk);
      size += chunk.byteLength;
    };
    await write(bytes);
    for (let index = 0; index < tensors.length; index++) {
      const data = await produce(index);
      if (data.byteLength !== sizes[index]) {
        throw new Error(
          `tensor ${tensors[index]?.name ?? index} has ${data.byteLength} bytes, expected ${sizes[index] ?? 0}`,
        );
      }
      await write(data);
    }
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  return { size, sha256: hash.digest("hex") };
}
