import { MAX_HEADER_LENGTH } from "../safetensors/parse-safetensors-header.js";
import { looksLikeText } from "./looks-like-text.js";

export type ContentKind = "utf-8" | "utf-16le" | "utf-16be" | "gzip" | "safetensors" | "binary";

/** How much of a file decides what it is (as git and grep decide text from binary). */
export const SNIFF_BYTES = 8 * 1024;

/** Share of NUL bytes at every other position that makes text without a BOM UTF-16 (ASCII-range text has one per character). */
function utf16ByNuls(head: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const pairs = Math.floor(head.byteLength / 2);
  if (pairs < 8) {
    return undefined;
  }
  let even = 0;
  let odd = 0;
  for (let at = 0; at + 1 < head.byteLength; at += 2) {
    even += head[at] === 0 ? 1 : 0;
    odd += head[at + 1] === 0 ? 1 : 0;
  }
  if (odd >= pairs * 0.7 && even <= pairs * 0.1) {
    return "utf-16le";
  }
  if (even >= pairs * 0.7 && odd <= pairs * 0.1) {
    return "utf-16be";
  }
  return undefined;
}

/**
 * Pure: what a file is, from its first bytes and its size, never from its name (`nohup.out`,
 * `README.rst` and extension-less logs are text; a safetensors file is one whatever it is called).
 * Safetensors: an 8-byte little-endian header length that fits the file, then "{" (no text file
 * starts like this: its first 8 bytes read as a number far above the header cap). gzip: its magic
 * bytes. UTF-16: a byte order mark, or NUL bytes at every other position. Otherwise text by the
 * git rule (see looksLikeText), else binary.
 */
export function sniffContent(head: Uint8Array, size: number): ContentKind {
  if (head.byteLength >= 9 && head[8] === 0x7b) {
    const length = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
    if (length >= 2n && length <= BigInt(MAX_HEADER_LENGTH) && 8 + Number(length) <= size) {
      return "safetensors";
    }
  }
  if (head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) {
    return "gzip";
  }
  const utf16 =
    head[0] === 0xff && head[1] === 0xfe
      ? "utf-16le"
      : head[0] === 0xfe && head[1] === 0xff
        ? "utf-16be"
        : utf16ByNuls(head);
  if (utf16 !== undefined) {
    return looksLikeText(head, utf16) ? utf16 : "binary";
  }
  return looksLikeText(head) ? "utf-8" : "binary";
}
