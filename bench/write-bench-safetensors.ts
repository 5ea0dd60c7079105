import { createWriteStream } from "node:fs";
import { serializeHeader, type OutputTensor } from "../src/safetensors/serialize-header.js";

/** A safetensors file of `tensors`, data streamed from a shared random block so multi-GB files cost only disk time. */
export async function writeBenchSafetensors(
  file: string,
  tensors: OutputTensor[],
  metadata: Record<string, string> | null,
  block: Buffer,
): Promise<void> {
  const { bytes, sizes } = serializeHeader(tensors, metadata);
  const out = createWriteStream(file);
  const write = (chunk: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      out.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  await write(bytes);
  for (const [index, size] of sizes.entries()) {
    let left = size;
    // Offsets stay multiples of 4 so float data keeps its alignment.
    let offset = ((index * 4099) % block.length) & ~3;
    while (left > 0) {
      const take = Math.min(left, block.length - offset);
      await write(block.subarray(offset, offset + take));
      left -= take;
      offset = 0;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
