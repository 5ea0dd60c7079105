import { looksLikeText } from "./looks-like-text.js";

/** Shorter runs are words and identifiers; 20 characters hold 15 bytes, less than any secret we look for. */
const MIN_RUN = 20;
/**
 * Base64 (standard or URL-safe, which Node decodes alike) with its padding, from the start of a
 * run: matching the character before it keeps the search linear in the text (faster than a lookbehind).
 */
const RUN = new RegExp(`(?:^|[^A-Za-z0-9+/_-])([A-Za-z0-9+/_-]{${MIN_RUN},}={0,2})`, "g");
/** Enough decoded bytes to tell text from binary without decoding a whole image first. */
const SNIFF_CHARS = 1368;

/**
 * Pure: every run of base64 in `text` that decodes to text, with where the run starts. Hashes,
 * paths, identifiers and encoded images decode to binary and are left out, so they cost a decode of
 * their first kilobyte and nothing else. A run is tried at its four alignments, because what comes
 * before it may be glued on ("prefix_aGZf…", or a long line cut in pieces). Runs are decoded once:
 * base64 inside decoded base64 is not looked into.
 */
export function decodeBase64Runs(text: string): Array<{ index: number; text: string }> {
  const decoded: Array<{ index: number; text: string }> = [];
  for (const match of text.matchAll(RUN)) {
    const run = match[1] ?? "";
    const start = (match.index ?? 0) + match[0].length - run.length;
    for (let skip = 0; skip < 4 && run.length - skip >= MIN_RUN; skip++) {
      const candidate = run.slice(skip);
      if (looksLikeText(Buffer.from(candidate.slice(0, SNIFF_CHARS), "base64"))) {
        decoded.push({ index: start + skip, text: Buffer.from(candidate, "base64").toString("utf8") });
        break;
      }
    }
  }
  return decoded;
}
