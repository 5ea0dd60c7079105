import { randomBytes } from "node:crypto";
import { encodeShard, hexToHash, type ShardXorb } from "../../src/xet/index.js";
import { authorize } from "./authorize.js";
import { casError } from "./cas-error.js";
import type { CasRequest, CasServer } from "./cas-server.js";

const HASH = /^[0-9a-f]{64}$/;
/** How many xorbs one answer describes: the one holding the chunk and its neighbours in the files using it. */
const ANSWER_XORBS = 16;
/** How long a client may dedup against an answer (spec "Shard", Shard Key Expiry: days or weeks). */
const ANSWER_LIFETIME_SECONDS = 7 * 24 * 3600;

/**
 * `GET /v1/chunks/default-merkledb/{chunk hash}` (CAS API "Query Chunk Deduplication", read scope):
 * for a chunk the CAS holds, from any upload to any repo, a shard with an empty file section and the
 * xorbs to dedup against: the one holding the chunk, then the other xorbs of the files that use it.
 * Their chunk hashes are keyed with a fresh HMAC key named in the footer (spec "Deduplication", HMAC
 * protection), so the answer reveals only chunks the client already has. 404 for an unknown chunk.
 * @huggingface/hub asks under the prefix "default", which is accepted too.
 */
export function queryChunk(cas: CasServer, req: CasRequest, prefix: string, hash: string): Response {
  const grant = authorize(cas, req.request, "read");
  if (grant instanceof Response) {
    return grant;
  }
  if (prefix !== "default-merkledb" && prefix !== "default") {
    return casError(400, `the global dedup prefix is "default-merkledb", not ${JSON.stringify(prefix)}`);
  }
  if (!HASH.test(hash)) {
    return casError(400, `${JSON.stringify(hash)} is not a chunk hash (64 lowercase hex digits)`);
  }
  const found = cas.catalog.chunk(hash);
  if (!found) {
    return casError(404, "chunk not tracked by global deduplication");
  }
  const key = new Uint8Array(randomBytes(32));
  const keyed = cas.hasher.keyedBy(key);
  const xorbs: ShardXorb[] = [];
  for (const name of cas.catalog.neighbours(found.xorb, ANSWER_XORBS)) {
    const xorb = cas.store.get(name);
    if (!xorb) {
      continue;
    }
    xorbs.push({
      hash: hexToHash(name),
      unpackedBytes: xorb.unpackedBytes,
      serializedBytes: xorb.serializedBytes,
      chunks: xorb.chunks.map((chunk) => ({
        hash: keyed(chunk.hash),
        unpackedStart: chunk.unpackedStart,
        size: chunk.size,
      })),
    });
  }
  const createdAt = Math.floor(cas.now() / 1000);
  const shard = encodeShard({
    files: [],
    xorbs,
    footer: { hmacKey: key, createdAt, expiresAt: createdAt + ANSWER_LIFETIME_SECONDS },
  });
  return new Response(new Uint8Array(shard), { status: 200, headers: { "content-type": "application/octet-stream" } });
}
