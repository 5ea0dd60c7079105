import { casError } from "./cas-error.js";
import type { CasServer } from "./cas-server.js";
import type { XetGrant, XetScope } from "./xet-tokens.js";

/**
 * The grant of the request's CAS token, or the spec's answer without one: 401 when it is missing,
 * unknown or expired (the client fetches a new one and retries), 403 when a read token is used to write.
 */
export function authorize(cas: CasServer, request: Request, scope: XetScope): XetGrant | Response {
  const grant = cas.tokens.check(request.headers.get("authorization"), scope);
  switch (grant) {
    case "missing":
      return casError(
        401,
        "a CAS access token is required (Authorization: Bearer, from xet-read-token or xet-write-token)",
      );
    case "unknown":
      return casError(401, "not a CAS access token of this server");
    case "expired":
      return casError(401, "the CAS access token has expired; get a new one from the Hub");
    case "scope":
      return casError(403, "this CAS access token may only read; uploads need one from xet-write-token");
    default:
      return grant;
  }
}
