import type { ByteRange } from "./create-url-signer.js";
import type { StoredXorb } from "./stored-xorb.js";
import type { XetFileTerm } from "./xet-file-record.js";

/** A run of chunks [start, end) of a xorb and the serialized bytes holding them (end inclusive). */
export interface XorbRange {
  readonly chunks: { readonly start: number; readonly end: number };
  readonly bytes: ByteRange;
}

/**
 * Pure: per xorb, the chunk runs the terms need, overlapping and adjacent runs merged and sorted, with
 * their serialized byte ranges: what a reconstruction answer's fetch entries list. Every term lies
 * inside one run, as clients require.
 */
export function mergeXorbRanges(
  terms: readonly XetFileTerm[],
  xorbOf: (hash: string) => StoredXorb,
): Map<string, XorbRange[]> {
  const runs = new Map<string, Array<{ start: number; end: number }>>();
  for (const term of terms) {
    const list = runs.get(term.xorb) ?? [];
    list.push({ start: term.start, end: term.end });
    runs.set(term.xorb, list);
  }
  const out = new Map<string, XorbRange[]>();
  for (const [xorb, list] of runs) {
    list.sort((a, b) => a.start - b.start);
    const merged: Array<{ start: number; end: number }> = [];
    for (const run of list) {
      const previous = merged.at(-1);
      if (previous && run.start <= previous.end) {
        previous.end = Math.max(previous.end, run.end);
      } else {
        merged.push({ ...run });
      }
    }
    const chunks = xorbOf(xorb).chunks;
    out.set(
      xorb,
      merged.map((run) => {
        const last = chunks[run.end - 1];
        return {
          chunks: run,
          bytes: {
            start: chunks[run.start]?.offset ?? 0,
            end: (last?.offset ?? 0) + (last?.serializedLength ?? 0) - 1,
          },
        };
      }),
    );
  }
  return out;
}
