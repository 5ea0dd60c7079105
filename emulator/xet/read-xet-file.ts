import { decompressChunk } from "../../src/xet/index.js";
import { planReconstruction } from "./plan-reconstruction.js";
import type { StoredXorb } from "./stored-xorb.js";
import type { XetFileRecord } from "./xet-file-record.js";
import type { XorbStore } from "./xorb-store.js";

const WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * Bytes [start, end) of a file rebuilt from its xorbs, reading a few MiB of stored chunks at a time:
 * what the Hub's plain download of a Xet-stored file serves, and what the CAS hashes to check a
 * shard's SHA-256 claims.
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
    // Read a few MiB of stored bytes at a time: memory holds one window, not a 64 MiB term.
    for (let from = 0; from < chunks.length;) {
      let to = from + 1;
      while (to < chunks.length && (chunks[to]?.offset ?? 0) - (chunks[from]?.offset ?? 0) < WINDOW_BYTES) {
        to++;
      }
      const first = chunks[from];
      const last = chunks[to - 1];
      if (!first || !last) {
        break;
      }
      const stored = await store.read(term.xorb, first.offset, last.offset + last.serializedLength);
      for (const chunk of chunks.slice(from, to)) {
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
      from = to;
    }
  }
}
