import { randomBytes } from "node:crypto";

/** A JSON answer with the `X-Request-Id` every Hub response carries (clients quote it in errors). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": `Root=1-${randomBytes(4).toString("hex")}-${randomBytes(12).toString("hex")}`,
      ...headers,
    },
  });
}
