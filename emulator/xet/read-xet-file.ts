import { decompressChunk } from "../../src/xet/decompress-chunk.js";
import { planReconstruction } from "./plan-reconstruction.js";
import type { StoredXorb } from "./stored-xorb.js";
import type { XetFileRecord } from "./xet-file-record.js";
import type { XorbStore } from "./xorb-store.js";

/**
 * Bytes [start, end) of a file rebuilt from its xorbs, term by term (one term's stored bytes in
 * memory at a time): what the Hub's plain download of a Xet-stored file serves, and what the CAS
 * hashes to check a shard's SHA-256 claims.
 */
export async function* readXetFile(
  store: XorbStore,
  file: XetFileRecord,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array> {
  const xorbOf = (hash: string): StoredXorb => {
    const xorb = store.get(hash);
    if (!xorb) {
      throw new Error(`file ${file.hash} uses xorb ${hash}, which is not stored`);
    }
    return xorb;
  };
  const plan = planReconstruction(file, xorbOf, start, end);
  let skip = plan.offsetIntoFirstRange;
  let left = end - start;
  for (const term of plan.terms) {
    const chunks = xorbOf(term.xorb).chunks.slice(term.start, term.end);
    const first = chunks[0];
    const last = chunks.at(-1);
    if (!first || !last) {
      continue;
    }
    const stored = await store.read(term.xorb, first.offset, last.offset + last.serializedLength);
    for (const chunk of chunks) {
      const at = chunk.offset - first.offset;
      const storedLength = (stored[at + 1] ?? 0) | ((stored[at + 2] ?? 0) << 8) | ((stored[at + 3] ?? 0) << 16);
      let data = decompressChunk(stored[at + 4] ?? 0, stored.subarray(at + 8, at + 8 + storedLength), chunk.size);
      if (skip > 0) {
        const dropped = Math.min(skip, data.length);
        data = data.subarray(dropped);
        skip -= dropped;
      }
      if (data.length > left) {
        data = data.subarray(0, left);
      }
      left -= data.length;
      if (data.length > 0) {
        yield data;
      }
      if (left === 0) {
        return;
      }
    }
  }
}
