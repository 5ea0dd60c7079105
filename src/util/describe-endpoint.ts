/**
 * "POST /api/models/x/commit/main" for the Hub's own endpoints, "PUT storage.example/bucket/key" for
 * other hosts. Never the query: presigned storage URLs carry their signatures there.
 */
export function describeEndpoint(method: string, url: string | URL, hubOrigin?: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${method} ${String(url).split("?")[0] ?? ""}`;
  }
  return `${method} ${hubOrigin !== undefined && parsed.origin === hubOrigin ? "" : parsed.host}${parsed.pathname}`;
}
