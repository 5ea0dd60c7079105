import { XetFormatError } from "./xet-format-error.js";
import {
  XORB_BOUNDARIES_IDENT,
  XORB_FOOTER_IDENT,
  XORB_FOOTER_RESERVED,
  XORB_FOOTER_VERSIONS,
  XORB_HASHES_IDENT,
  type XorbFooter,
} from "./xorb-footer.js";

/**
 * Reads a xorb footer written by encodeXorbFooter (or xet-core), which must fill `bytes` exactly:
 * every ident, version, repeated count, section offset and the final length are checked. The
 * reserved bytes are ignored (xet-core may put a nonce there).
 */
export function decodeXorbFooter(bytes: Uint8Array): XorbFooter {
  const fail = (what: string): never => {
    throw new XetFormatError("bad-footer", `xorb footer: ${what}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number): void => {
    if (at + n > bytes.length) {
      fail("cut off");
    }
  };
  const ident = (expected: Uint8Array, name: string): void => {
    need(8);
    if (!expected.every((b, i) => bytes[at + i] === b)) {
      fail(`${name} ident missing`);
    }
    at += 7;
  };
  const version = (expected: number, name: string): void => {
    if (bytes[at++] !== expected) {
      fail(`${name} version ${bytes[at - 1]}, expected ${expected}`);
    }
  };
  const u32 = (): number => {
    need(4);
    at += 4;
    return view.getUint32(at - 4, true);
  };
  const hash = (): Uint8Array => {
    need(32);
    at += 32;
    return bytes.slice(at - 32, at);
  };
  ident(XORB_FOOTER_IDENT, "footer");
  version(XORB_FOOTER_VERSIONS.footer, "footer");
  const xorbHash = hash();
  ident(XORB_HASHES_IDENT, "hashes section");
  version(XORB_FOOTER_VERSIONS.hashes, "hashes section");
  const n = u32();
  if (n * 40 > bytes.length) {
    fail(`claims ${n} chunks, more than it has room for`);
  }
  const hashesStart = at - 12;
  const chunkHashes = Array.from({ length: n }, hash);
  const boundariesStart = at;
  ident(XORB_BOUNDARIES_IDENT, "boundaries section");
  version(XORB_FOOTER_VERSIONS.boundaries, "boundaries section");
  if (u32() !== n) {
    fail("chunk counts disagree");
  }
  const serializedEnds = Array.from({ length: n }, u32);
  const unpackedEnds = Array.from({ length: n }, u32);
  if (u32() !== n) {
    fail("chunk counts disagree");
  }
  const hashesFromEnd = u32();
  const boundariesFromEnd = u32();
  need(XORB_FOOTER_RESERVED);
  at += XORB_FOOTER_RESERVED;
  const infoEnd = at;
  if (hashesFromEnd !== infoEnd - hashesStart || boundariesFromEnd !== infoEnd - boundariesStart) {
    fail("section offsets do not match the sections");
  }
  if (u32() !== infoEnd || at !== bytes.length) {
    fail("length field does not match the footer");
  }
  return { hash: xorbHash, chunkHashes, serializedEnds, unpackedEnds };
}
