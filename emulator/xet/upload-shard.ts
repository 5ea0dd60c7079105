import { createHash } from "node:crypto";
import { decodeShard, hashToHex, type Shard, verifyShard, XetFormatError } from "../../src/xet/index.js";
import { jsonResponse } from "../json-response.js";
import { authorize } from "./authorize.js";
import { casError } from "./cas-error.js";
import type { CasRequest, CasServer } from "./cas-server.js";
import { readBody } from "./read-body.js";
import { readXetFile } from "./read-xet-file.js";
import type { XetFileRecord } from "./xet-file-record.js";

/** Upload Protocol: "if the serialized shard will be greater than 64 MiB you MUST break up the content". */
const MAX_SHARD_BYTES = 64 * 1024 * 1024;

/**
 * `POST /v1/shards` and its streaming twin `POST /v2/shards` (CAS API "Upload Shard", write scope):
 * registers the files of a shard once it is true. Refused with 400, registering nothing: bytes that
 * are no shard; a xorb in its CAS section that was never uploaded, or listed with other chunks than
 * it holds; a term pointing at an unknown xorb or outside it, with the wrong size or verification hash;
 * a file hash that is not its chunks' (verifyShard); a SHA-256 that is not the file's (the Hub names
 * files by it, so it is checked by rebuilding the file). A footer is tolerated (@huggingface/hub sends
 * one) and ignored. v2 answers the same checks as NDJSON progress events ending in `result`.
 */
export async function uploadShard(cas: CasServer, req: CasRequest, streaming: boolean): Promise<Response> {
  const grant = authorize(cas, req.request, "write");
  if (grant instanceof Response) {
    return grant;
  }
  const body = await readBody(req.request, MAX_SHARD_BYTES, req.record);
  if (body === "too-large") {
    return casError(400, "the shard is over 64 MiB: split its files over several shards");
  }
  let shard: Shard;
  try {
    shard = decodeShard(body);
    for (const [x, listed] of shard.xorbs.entries()) {
      const name = hashToHex(listed.hash);
      const stored = cas.store.get(name);
      if (!stored) {
        return casError(400, `shard refused: xorb ${name} (CAS entry ${x}) was never uploaded`);
      }
      const same =
        stored.chunks.length === listed.chunks.length &&
        stored.chunks.every(
          (chunk, i) =>
            Buffer.from(chunk.hash).equals(listed.chunks[i]?.hash ?? new Uint8Array()) &&
            chunk.size === listed.chunks[i]?.size,
        );
      if (!same) {
        return casError(400, `shard refused: its CAS entry ${x} lists other chunks than xorb ${name} holds`);
      }
    }
    verifyShard(cas.hasher, shard, (hash) => cas.store.get(hashToHex(hash))?.chunks);
  } catch (error) {
    if (error instanceof XetFormatError) {
      return casError(400, `shard refused: ${error.message}`);
    }
    throw error;
  }

  const files: XetFileRecord[] = [];
  for (const file of shard.files) {
    const hash = hashToHex(file.hash);
    const terms = file.terms.map((term) => ({
      xorb: hashToHex(term.xorbHash),
      start: term.chunkStart,
      end: term.chunkEnd,
      bytes: term.unpackedBytes,
    }));
    const size = terms.reduce((sum, term) => sum + term.bytes, 0);
    const known = cas.catalog.files.get(hash);
    let sha256 = known?.sha256 ?? file.sha256;
    if (known === undefined && cas.store.keepsContent) {
      const digest = createHash("sha256");
      for await (const piece of readXetFile(cas.store, { hash, size, sha256: "", terms }, 0, size)) {
        digest.update(piece);
      }
      sha256 = digest.digest("hex");
      if (file.sha256 !== undefined && file.sha256 !== sha256) {
        return casError(400, `shard refused: file ${hash} has SHA-256 ${sha256}, not ${file.sha256} as the shard says`);
      }
    }
    if (sha256 === undefined) {
      return casError(400, `shard refused: file ${hash} has no SHA-256 (metadata extension), which a git repo needs`);
    }
    files.push({ hash, size, sha256, terms });
  }
  const fresh = files.filter((file) => !cas.catalog.files.has(file.hash));
  files.forEach((file) => cas.catalog.addFile(file));
  await cas.registered(files, grant);
  const result = fresh.length > 0 || shard.files.length === 0 ? 1 : 0;
  if (!streaming) {
    return jsonResponse({ result });
  }
  const events = [
    { type: "validating", verified: shard.files.length, total: shard.files.length },
    { type: "committing", stage: "uploading" },
    { type: "committing", stage: "syncing" },
    { type: "result", result },
  ];
  return new Response(events.map((event) => `${JSON.stringify(event)}\n`).join(""), {
    status: 200,
    headers: { "content-type": "application/x-ndjson", "cache-control": "no-cache" },
  });
}
