import { hexToHash, parseXorb, XetFormatError, XET_LIMITS } from "../../src/xet/index.js";
import { jsonResponse } from "../json-response.js";
import { authorize } from "./authorize.js";
import { casError } from "./cas-error.js";
import type { CasRequest, CasServer } from "./cas-server.js";
import { readBody } from "./read-body.js";
import type { StoredXorb } from "./stored-xorb.js";

const HASH = /^[0-9a-f]{64}$/;
/** Room for 64 MiB of chunk data stored less compactly than it unpacks, and a footer: parseXorb has the exact rules. */
const MAX_BODY = 2 * XET_LIMITS.maxXorbBytes;

/**
 * `POST /v1/xorbs/default/{hash}` (CAS API "Upload Xorb", write scope): every chunk header read and
 * every chunk decompressed and hashed, the xorb hash recomputed and compared with the path, before
 * anything is stored; anything wrong is 400 and nothing is kept. `was_inserted` is false for a xorb
 * the CAS already holds, from any repo.
 */
export async function uploadXorb(cas: CasServer, req: CasRequest, prefix: string, hash: string): Promise<Response> {
  const grant = authorize(cas, req.request, "write");
  if (grant instanceof Response) {
    return grant;
  }
  if (prefix !== "default") {
    return casError(400, `the xorb prefix is "default", not ${JSON.stringify(prefix)}`);
  }
  if (!HASH.test(hash)) {
    return casError(400, `${JSON.stringify(hash)} is not a xorb hash (64 lowercase hex digits)`);
  }
  return cas.limitUploads(async () => {
    const body = await readBody(req.request, MAX_BODY, req.record);
    if (body === "too-large") {
      return casError(400, "the xorb is over the 64 MiB limit");
    }
    let parsed: ReturnType<typeof parseXorb>;
    try {
      parsed = parseXorb(cas.hasher, body, { expectedHash: hexToHash(hash) });
    } catch (error) {
      if (error instanceof XetFormatError) {
        return casError(400, `xorb ${hash} refused: ${error.message}`);
      }
      throw error;
    }
    const xorb: StoredXorb = {
      hash,
      chunks: parsed.chunks.map(({ hash: chunkHash, size, unpackedStart, offset, serializedLength }) => ({
        hash: chunkHash,
        size,
        unpackedStart,
        offset,
        serializedLength,
      })),
      serializedBytes: parsed.chunksEnd,
      unpackedBytes: parsed.unpackedBytes,
    };
    const inserted = await cas.store.put(xorb, body, parsed.hash);
    if (inserted) {
      cas.catalog.addXorb(xorb);
    }
    return jsonResponse({ was_inserted: inserted });
  });
}
