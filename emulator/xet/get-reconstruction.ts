import { jsonResponse } from "../json-response.js";
import { parseRange } from "../parse-range.js";
import { authorize } from "./authorize.js";
import { casError } from "./cas-error.js";
import type { CasRequest, CasServer } from "./cas-server.js";
import { mergeXorbRanges } from "./merge-xorb-ranges.js";
import { planReconstruction } from "./plan-reconstruction.js";
import type { StoredXorb } from "./stored-xorb.js";

const HASH = /^[0-9a-f]{64}$/;

/**
 * `GET /v2/reconstructions/{file id}` and the deprecated `/v1/...` (CAS API "Get File Reconstruction",
 * read scope): the terms that rebuild the file, or the part a `Range: bytes=start-end` asks for
 * (trimmed to whole chunks, `offset_into_first_range` saying where the range starts), and for each
 * xorb signed fetch URLs: v2 one per xorb carrying all its byte ranges, v1 one per range. 400 for a
 * malformed id, 404 for a file this token's repo cannot read (or none), 416 for a range starting at
 * or past the end.
 */
export function getReconstruction(cas: CasServer, req: CasRequest, id: string, version: 1 | 2): Response {
  const grant = authorize(cas, req.request, "read");
  if (grant instanceof Response) {
    return grant;
  }
  if (!HASH.test(id)) {
    return casError(400, `${JSON.stringify(id)} is not a file id (64 lowercase hex digits)`);
  }
  const file = cas.catalog.files.get(id);
  if (!file || !cas.mayRead(grant.repo, file)) {
    return casError(404, `file ${id} not found`);
  }
  const range = parseRange(req.request.headers.get("range"), file.size);
  if (range === "unsatisfiable") {
    return casError(416, `the range starts at or past the end of the file (${file.size} bytes)`);
  }
  const xorbOf = (hash: string): StoredXorb => {
    const xorb = cas.store.get(hash);
    if (!xorb) {
      throw new Error(`file ${id} uses xorb ${hash}, which is not stored`);
    }
    return xorb;
  };
  const plan = planReconstruction(file, xorbOf, range?.start ?? 0, (range?.end ?? file.size - 1) + 1);
  const runs = mergeXorbRanges(plan.terms, xorbOf);
  const expiresAt = Math.floor(cas.now() / 1000) + cas.ttlSeconds;
  const transfer = `${req.base}/transfer/xorbs/default`;
  const terms = plan.terms.map((term) => ({
    hash: term.xorb,
    unpacked_length: term.bytes,
    range: { start: term.start, end: term.end },
  }));
  if (version === 2) {
    const xorbs: Record<string, unknown> = {};
    for (const [xorb, list] of runs) {
      const url = cas.signer.sign(
        transfer,
        xorb,
        list.map((run) => run.bytes),
        expiresAt,
      );
      xorbs[xorb] = [{ url, ranges: list }];
    }
    return jsonResponse({ offset_into_first_range: plan.offsetIntoFirstRange, terms, xorbs });
  }
  const fetchInfo: Record<string, unknown> = {};
  for (const [xorb, list] of runs) {
    fetchInfo[xorb] = list.map((run) => ({
      range: run.chunks,
      url: cas.signer.sign(transfer, xorb, [run.bytes], expiresAt),
      url_range: run.bytes,
    }));
  }
  return jsonResponse({ offset_into_first_range: plan.offsetIntoFirstRange, terms, fetch_info: fetchInfo });
}
