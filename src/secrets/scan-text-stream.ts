import { findSecrets, type SecretHit } from "./find-secrets.js";

/** A line longer than this (minified JSON, a progress bar log) is scanned in overlapping pieces. */
const MAX_LINE_CHARS = 1024 * 1024;
/** Longer than any secret we look for, so a secret cut by a piece boundary is whole in the next piece. */
const OVERLAP_CHARS = 4096;

/** A NUL byte is never part of a UTF-8 sequence, so it can be replaced before decoding (where it is cheapest). */
function nulsAsSpaces(chunk: Uint8Array): Uint8Array {
  if (!chunk.includes(0)) {
    return chunk;
  }
  const copy = Uint8Array.from(chunk);
  for (let at = 0; at < copy.length; at++) {
    if (copy[at] === 0) {
      copy[at] = 0x20;
    }
  }
  return copy;
}

/**
 * Reads text line by line with bounded memory, whatever the size, and reports every secret with the
 * text's line numbers. A very long line is scanned in overlapping pieces: a plain secret is kept by
 * the piece it starts in, a decoded one (escaped, base64) once per line. `nulAsSpace` reads
 * NUL-separated text (a tar stream) as words.
 */
export async function scanTextStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  encoding: "utf-8" | "utf-16le" | "utf-16be",
  options: { nulAsSpace?: boolean } = {},
): Promise<SecretHit[]> {
  const decoder = new TextDecoder(encoding);
  const hits: SecretHit[] = [];
  const seen = new Set<string>();
  const keep = (found: readonly SecretHit[], before = Number.POSITIVE_INFINITY): void => {
    for (const hit of found) {
      const key = `${hit.line}\0${hit.kind}\0${hit.value}`;
      if (hit.encoding === "plain" ? hit.column - 1 < before : !seen.has(key)) {
        seen.add(key);
        hits.push(hit);
      }
    }
  };
  let carry = "";
  let line = 1;
  const scanLines = (added: string): void => {
    carry += added;
    // Only the text just added can hold the last line break: searching all of a long line for it
    // at every chunk would cost its length squared.
    const lastBreak = added.lastIndexOf("\n");
    const end = lastBreak < 0 ? -1 : carry.length - added.length + lastBreak;
    if (end >= 0) {
      const block = carry.slice(0, end);
      keep(findSecrets(block, line));
      for (let at = block.indexOf("\n"); at >= 0; at = block.indexOf("\n", at + 1)) {
        line++;
      }
      line++;
      carry = carry.slice(end + 1);
    }
    while (carry.length > MAX_LINE_CHARS) {
      // One very long line: scan all we hold, keep plain hits that start before the cut, carry the overlap.
      const cut = carry.length - OVERLAP_CHARS;
      keep(findSecrets(carry, line), cut);
      carry = carry.slice(cut);
    }
  };
  for await (const chunk of chunks) {
    scanLines(decoder.decode(options.nulAsSpace ? nulsAsSpaces(chunk) : chunk, { stream: true }));
  }
  scanLines(decoder.decode());
  keep(findSecrets(carry, line));
  return hits;
}
