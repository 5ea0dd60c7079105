/**
 * The one canonical string form of a 32-byte Xet hash (CAS API, "Converting Hashes to Strings"):
 * each 8-byte group read as a little-endian u64, printed as 16 lowercase hex digits. Not the plain
 * byte-by-byte hex of the digest: bytes 0..7 come out reversed, then 8..15, and so on.
 */
export function hashToHex(hash: Uint8Array): string {
  if (hash.length !== 32) {
    throw new RangeError(`a Xet hash is 32 bytes, got ${hash.length}`);
  }
  let out = "";
  for (let group = 0; group < 32; group += 8) {
    for (let i = group + 7; i >= group; i--) {
      out += HEX[hash[i] ?? 0];
    }
  }
  return out;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
