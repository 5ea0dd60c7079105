import { fileHash } from "./file-hash.js";
import { hashToHex } from "./hash-to-hex.js";
import type { XetHasher } from "./create-xet-hasher.js";
import { sameBytes } from "./same-bytes.js";
import type { Shard } from "./shard-model.js";
import { verificationRangeHash } from "./verification-range-hash.js";
import type { XetChunkRef } from "./xet-chunk-ref.js";
import { XetFormatError } from "./xet-format-error.js";
import { xorbHash } from "./xorb-hash.js";

/**
 * Checks that an uploaded shard is true, as a CAS must before registering its files (CAS API "Upload
 * Shard": 400 when a referenced xorb does not exist or the contents fail verification): every xorb it
 * lists hashes to its name from its chunks, which tile its unpacked bytes in order; every term points
 * at a xorb listed here or known to the server (`storedXorb`: its chunks in order, or undefined), at a
 * non-empty chunk range inside it, with the right unpacked size and verification hash; and every file
 * hash is the file hash of its terms' chunks. Verification entries are required: hf_xet always sends
 * them and the spec says they MUST be set for uploads. Throws XetFormatError on the first thing wrong.
 */
export function verifyShard(
  hasher: XetHasher,
  shard: Shard,
  storedXorb: (hash: Uint8Array) => readonly XetChunkRef[] | undefined,
): void {
  const listed = new Map<string, readonly XetChunkRef[]>();
  shard.xorbs.forEach((xorb, x) => {
    const name = hashToHex(xorb.hash);
    let next = 0;
    xorb.chunks.forEach((chunk, i) => {
      if (chunk.unpackedStart !== next || chunk.size === 0) {
        throw new XetFormatError(
          "bad-shard-entry",
          `xorb ${x} (${name}) chunk ${i}: starts at ${chunk.unpackedStart} with ${chunk.size} bytes, expected to start at ${next}`,
        );
      }
      next += chunk.size;
    });
    if (xorb.chunks.length === 0 || next !== xorb.unpackedBytes) {
      throw new XetFormatError(
        "bad-shard-entry",
        `xorb ${x} (${name}): ${xorb.chunks.length} chunks of ${next} bytes, the header says ${xorb.unpackedBytes}`,
      );
    }
    if (!sameBytes(xorbHash(hasher, xorb.chunks), xorb.hash)) {
      throw new XetFormatError("hash-mismatch", `xorb ${x}: its chunks do not hash to its name ${name}`);
    }
    listed.set(name, xorb.chunks);
  });

  shard.files.forEach((file, f) => {
    const where = `file ${f} (${hashToHex(file.hash)})`;
    const chunks: XetChunkRef[] = [];
    file.terms.forEach((term, t) => {
      const name = hashToHex(term.xorbHash);
      const xorb = listed.get(name) ?? storedXorb(term.xorbHash);
      if (xorb === undefined) {
        throw new XetFormatError(
          "bad-shard-reference",
          `${where} term ${t}: xorb ${name} is neither stored nor in the shard`,
        );
      }
      if (term.chunkStart >= term.chunkEnd || term.chunkEnd > xorb.length) {
        throw new XetFormatError(
          "bad-shard-reference",
          `${where} term ${t}: chunks [${term.chunkStart}, ${term.chunkEnd}) of xorb ${name}, which has ${xorb.length}`,
        );
      }
      const range = xorb.slice(term.chunkStart, term.chunkEnd);
      const size = range.reduce((sum, chunk) => sum + chunk.size, 0);
      if (size !== term.unpackedBytes) {
        throw new XetFormatError(
          "bad-shard-entry",
          `${where} term ${t}: ${term.unpackedBytes} bytes, its chunks hold ${size}`,
        );
      }
      if (term.verificationHash === undefined) {
        throw new XetFormatError("bad-shard-entry", `${where} term ${t}: no verification entry`);
      }
      const expected = verificationRangeHash(
        hasher,
        range.map((chunk) => chunk.hash),
      );
      if (!sameBytes(expected, term.verificationHash)) {
        throw new XetFormatError("hash-mismatch", `${where} term ${t}: wrong verification hash`);
      }
      chunks.push(...range);
    });
    if (!sameBytes(fileHash(hasher, chunks), file.hash)) {
      throw new XetFormatError("hash-mismatch", `${where}: its terms' chunks have another file hash`);
    }
  });
}
