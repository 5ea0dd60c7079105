import type { StoredXorb } from "./stored-xorb.js";
import type { XetFileRecord, XetFileTerm } from "./xet-file-record.js";

export interface ReconstructionPlan {
  /** Bytes to skip at the start of the first term's data (the range need not start on a chunk). */
  readonly offsetIntoFirstRange: number;
  /** The terms covering the range, trimmed to the chunks it touches. */
  readonly terms: readonly XetFileTerm[];
}

/**
 * Pure: which chunks of which xorbs rebuild bytes [start, end) of a file (spec "Download Protocol",
 * range downloads): the file's terms that overlap the range, each trimmed to whole chunks, and how far
 * into the first one the range starts. `xorbOf` gives the chunk table of every xorb the file uses.
 */
export function planReconstruction(
  file: XetFileRecord,
  xorbOf: (hash: string) => StoredXorb,
  start: number,
  end: number,
): ReconstructionPlan {
  const terms: XetFileTerm[] = [];
  let offsetIntoFirstRange = 0;
  let position = 0;
  for (const term of file.terms) {
    const termStart = position;
    position += term.bytes;
    if (position <= start) {
      continue;
    }
    if (termStart >= end) {
      break;
    }
    const chunks = xorbOf(term.xorb).chunks;
    let first = term.start;
    let at = termStart;
    while (first < term.end && at + (chunks[first]?.size ?? 0) <= start) {
      at += chunks[first]?.size ?? 0;
      first++;
    }
    if (terms.length === 0) {
      offsetIntoFirstRange = Math.max(0, start - at);
    }
    let last = first;
    let bytes = 0;
    while (last < term.end && at + bytes < end) {
      bytes += chunks[last]?.size ?? 0;
      last++;
    }
    terms.push({ xorb: term.xorb, start: first, end: last, bytes });
  }
  return { offsetIntoFirstRange, terms };
}
