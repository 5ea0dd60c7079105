import { jsonResponse } from "../json-response.js";

/** A CAS error answer: the status is what clients act on (spec "CAS API", Error Cases); the text says why. */
export function casError(status: number, message: string): Response {
  return jsonResponse({ error: message }, status);
}
