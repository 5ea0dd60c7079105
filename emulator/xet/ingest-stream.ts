import { createHash } from "node:crypto";
import {
  buildXorb,
  createXetChunker,
  fileHash,
  fitsInXorb,
  hashToHex,
  type XetHasher,
  type XetChunkRef,
  XORB_COMPRESSION,
} from "../../src/xet/index.js";
import type { CasCatalog } from "./cas-catalog.js";
import type { XetFileRecord, XetFileTerm } from "./xet-file-record.js";
import type { XorbStore } from "./xorb-store.js";

interface OpenTerm {
  /** A stored xorb's hash, or the number of a xorb still being filled. */
  xorb: string | number;
  start: number;
  end: number;
  bytes: number;
}

/**
 * Stores a byte stream (an LFS object) as a Xet file, as the Hub converts LFS uploads: chunks it as
 * the spec says, keeps only the chunks the CAS does not hold yet (packed into xorbs the way hf_xet
 * packs them, stored uncompressed: the choice is the writer's), and registers the file with its terms.
 * Memory holds one open xorb (up to 64 MiB) besides the stream's own pieces.
 */
export async function ingestStream(
  hasher: XetHasher,
  store: XorbStore,
  catalog: CasCatalog,
  source: AsyncIterable<Uint8Array>,
): Promise<XetFileRecord> {
  const chunker = createXetChunker();
  const sha256 = createHash("sha256");
  const refs: XetChunkRef[] = [];
  const terms: OpenTerm[] = [];
  const stored = new Map<number, string>();
  let pending: Array<{ data: Uint8Array; hash: Uint8Array }> = [];
  let pendingIndex = new Map<string, number>();
  let pendingBytes = 0;
  let pendingNumber = 0;
  let size = 0;

  const addToTerm = (xorb: string | number, index: number, bytes: number): void => {
    const last = terms.at(-1);
    if (last && last.xorb === xorb && last.end === index) {
      last.end++;
      last.bytes += bytes;
    } else {
      terms.push({ xorb, start: index, end: index + 1, bytes });
    }
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) {
      return;
    }
    const built = buildXorb(hasher, pending, { compression: XORB_COMPRESSION.none });
    const hash = hashToHex(built.hash);
    const xorb = {
      hash,
      chunks: built.chunks,
      serializedBytes: built.bytes.length,
      unpackedBytes: built.unpackedBytes,
    };
    if (await store.put(xorb, built.bytes, built.hash)) {
      catalog.addXorb(xorb);
    }
    stored.set(pendingNumber, hash);
    pendingNumber++;
    pending = [];
    pendingIndex = new Map();
    pendingBytes = 0;
  };
  const take = async (chunks: Uint8Array[]): Promise<void> => {
    for (const data of chunks) {
      const hash = hasher.chunkHash(data);
      const key = hashToHex(hash);
      refs.push({ hash, size: data.length });
      const known = catalog.chunk(key);
      if (known) {
        addToTerm(known.xorb, known.index, data.length);
        continue;
      }
      let index = pendingIndex.get(key);
      if (index === undefined) {
        if (!fitsInXorb(pending.length, pendingBytes, data.length)) {
          await flush();
        }
        index = pending.length;
        pending.push({ data: data.slice(), hash });
        pendingIndex.set(key, index);
        pendingBytes += data.length;
      }
      addToTerm(pendingNumber, index, data.length);
    }
  };
  for await (const piece of source) {
    size += piece.length;
    sha256.update(piece);
    await take(chunker.push(piece));
  }
  await take(chunker.finish());
  await flush();
  const resolved: XetFileTerm[] = terms.map((term) => ({
    ...term,
    xorb: typeof term.xorb === "string" ? term.xorb : (stored.get(term.xorb) ?? ""),
  }));
  const file: XetFileRecord = {
    hash: hashToHex(fileHash(hasher, refs)),
    size,
    sha256: sha256.digest("hex"),
    terms: resolved,
  };
  catalog.addFile(file);
  return file;
}
