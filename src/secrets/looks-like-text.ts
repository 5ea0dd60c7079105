/** One decoder per encoding, reset after each use (making one costs more than a short decode). */
const DECODERS = {
  "utf-8": new TextDecoder("utf-8"),
  "utf-16le": new TextDecoder("utf-16le"),
  "utf-16be": new TextDecoder("utf-16be"),
};

/**
 * Pure: whether bytes read as text, as git and grep decide: at most 1 in 10 characters that are not
 * text (bytes invalid in the encoding, control characters other than tab, line and form feeds);
 * in UTF-8, no NUL byte at all. A character cut at the end does not count against it.
 */
export function looksLikeText(bytes: Uint8Array, encoding: keyof typeof DECODERS = "utf-8"): boolean {
  if (encoding === "utf-8" && bytes.includes(0)) {
    return false;
  }
  const decoder = DECODERS[encoding];
  const text = decoder.decode(bytes, { stream: true });
  // Drops the cut character held back by `stream`, so the next call starts clean.
  decoder.decode();
  let odd = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0xfffd || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c)) {
      odd++;
    }
  }
  return text.length === 0 || odd / text.length <= 0.1;
}
