import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { casError } from "./cas-error.js";
import type { CasRequest, CasServer } from "./cas-server.js";
import type { ByteRange } from "./create-url-signer.js";

const RANGE_HEADER = /^bytes=(\d+-\d+(?:,\s*\d+-\d+)*)$/;

/**
 * `GET {casUrl}/transfer/xorbs/default/{hash}?X-Xet-Signed-Range=...&Signature=...`: the signed URLs
 * of reconstruction answers, where the Hub has its CDN. No token: the URL is the grant. 403 when it
 * was tampered with or has expired (clients then ask for a fresh reconstruction), or when the `Range`
 * asks for bytes outside the signed ranges (spec "Download Protocol"). One range is a plain 206;
 * several are one `multipart/byteranges` 206, each part a run of serialized chunks.
 */
export function fetchXorbRanges(cas: CasServer, req: CasRequest, hash: string): Response {
  const signed = cas.signer.verify(req.url, hash);
  if (signed === "invalid" || signed === "expired") {
    return casError(
      403,
      signed === "expired" ? "this fetch URL has expired" : "this fetch URL is not signed by this CAS",
    );
  }
  const xorb = cas.store.get(hash);
  if (!xorb) {
    return casError(404, `xorb ${hash} not found`);
  }
  const header = req.request.headers.get("range");
  let wanted: ByteRange[] = signed;
  if (header !== null) {
    const match = RANGE_HEADER.exec(header.trim());
    if (!match) {
      return casError(416, `unsupported Range ${JSON.stringify(header)}`);
    }
    wanted = (match[1] ?? "").split(",").map((part) => {
      const [start = 0, end = 0] = part.trim().split("-").map(Number);
      return { start, end };
    });
  }
  const allowed = wanted.every(
    (range) => range.start <= range.end && signed.some((s) => s.start <= range.start && range.end <= s.end),
  );
  if (!allowed || wanted.some((range) => range.end >= xorb.serializedBytes)) {
    return casError(403, "the Range asks for bytes this URL does not grant");
  }
  const total = xorb.serializedBytes;
  if (wanted.length === 1) {
    const [range] = wanted as [ByteRange];
    return new Response(streamOf([cas.store.pieces(hash, range.start, range.end + 1)]), {
      status: 206,
      headers: {
        "content-type": "application/octet-stream",
        "content-range": `bytes ${range.start}-${range.end}/${total}`,
        "content-length": String(range.end - range.start + 1),
      },
    });
  }
  const boundary = `xet_emulator_${randomBytes(8).toString("hex")}`;
  const pieces: Array<AsyncIterable<Uint8Array>> = [];
  for (const range of wanted) {
    const head = `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ${range.start}-${range.end}/${total}\r\n\r\n`;
    pieces.push(
      Readable.from([Buffer.from(head)]),
      cas.store.pieces(hash, range.start, range.end + 1),
      Readable.from([Buffer.from("\r\n")]),
    );
  }
  pieces.push(Readable.from([Buffer.from(`--${boundary}--\r\n`)]));
  return new Response(streamOf(pieces), {
    status: 206,
    headers: { "content-type": `multipart/byteranges; boundary=${boundary}` },
  });
}

/** One response body from several sources, read one after the other as the client takes them. */
function streamOf(sources: Array<AsyncIterable<Uint8Array>>): ReadableStream<Uint8Array> {
  return Readable.toWeb(
    Readable.from(
      (async function* () {
        for (const source of sources) {
          yield* source;
        }
      })(),
    ),
  ) as ReadableStream<Uint8Array>;
}
