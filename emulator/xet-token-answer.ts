import { jsonResponse } from "./json-response.js";
import type { XetCas } from "./xet/xet-cas.js";
import type { XetScope } from "./xet/xet-tokens.js";

/**
 * The answer of a xet-read-token or xet-write-token route (Xet spec "Authentication"), once the caller's
 * rights on the repo or bucket keyed `key` are checked: JSON `{accessToken, exp, casUrl}` (hf_xet,
 * @huggingface/hub) and the same in `X-Xet-*` headers (huggingface_hub reads those), with the CAS on
 * the host the request came to.
 */
export function xetTokenAnswer(xet: XetCas, scope: XetScope, key: string, origin: string): Response {
  const answer = xet.issueToken(scope, key, origin);
  return jsonResponse(answer, 200, {
    "x-xet-cas-url": answer.casUrl,
    "x-xet-access-token": answer.accessToken,
    "x-xet-token-expiration": String(answer.exp),
  });
}
