import { XetFormatError } from "./xet-format-error.js";

/**
 * The inverse of hashToHex: a 64-character hash string (as in a CAS path or an hf_xet result) to the
 * 32 raw bytes, reversing the byte order within each 8-byte group (CAS API, "Converting Hashes to
 * Strings"). Upper-case digits are accepted, as xet-core's parser accepts them.
 */
export function hexToHash(text: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new XetFormatError(
      "bad-hash-string",
      `a Xet hash string is 64 hex digits, got ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  const hash = new Uint8Array(32);
  for (let group = 0; group < 32; group += 8) {
    for (let i = 0; i < 8; i++) {
      hash[group + 7 - i] = Number.parseInt(text.slice((group + i) * 2, (group + i) * 2 + 2), 16);
    }
  }
  return hash;
}
