import {
  XORB_BOUNDARIES_IDENT,
  XORB_FOOTER_IDENT,
  XORB_FOOTER_RESERVED,
  XORB_FOOTER_VERSIONS,
  XORB_HASHES_IDENT,
  type XorbFooter,
} from "./xorb-footer.js";

/**
 * The footer xet-core can append to a xorb (XorbObjectInfoV1, then its length as a u32), for a
 * server that stores xorbs with their index. Layout: ident, version, xorb hash; hashes section
 * (ident, version, count, hashes); boundaries section (ident, version, count, serialized ends,
 * unpacked ends); count, the offsets of both sections from the footer's end, 16 reserved bytes.
 */
export function encodeXorbFooter(footer: XorbFooter): Uint8Array {
  const n = footer.chunkHashes.length;
  const boundariesFromEnd = 7 + 1 + 4 + n * 8 + 12 + XORB_FOOTER_RESERVED;
  const hashesFromEnd = 7 + 1 + 4 + n * 32 + boundariesFromEnd;
  const infoLength = 7 + 1 + 32 + hashesFromEnd;
  const out = new Uint8Array(infoLength + 4);
  const view = new DataView(out.buffer);
  let at = 0;
  const bytes = (b: Uint8Array): void => {
    out.set(b, at);
    at += b.length;
  };
  const u8 = (v: number): void => {
    out[at++] = v;
  };
  const u32 = (v: number): void => {
    view.setUint32(at, v, true);
    at += 4;
  };
  bytes(XORB_FOOTER_IDENT);
  u8(XORB_FOOTER_VERSIONS.footer);
  bytes(footer.hash);
  bytes(XORB_HASHES_IDENT);
  u8(XORB_FOOTER_VERSIONS.hashes);
  u32(n);
  footer.chunkHashes.forEach(bytes);
  bytes(XORB_BOUNDARIES_IDENT);
  u8(XORB_FOOTER_VERSIONS.boundaries);
  u32(n);
  footer.serializedEnds.forEach(u32);
  footer.unpackedEnds.forEach(u32);
  u32(n);
  u32(hashesFromEnd);
  u32(boundariesFromEnd);
  at += XORB_FOOTER_RESERVED;
  u32(infoLength);
  return out;
}
