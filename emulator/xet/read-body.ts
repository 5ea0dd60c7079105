/**
 * A request body, read while counting into `record.bytes` (the bytes the CAS received), or
 * "too-large" as soon as it passes `limit` bytes, without reading the rest.
 */
export async function readBody(
  request: Request,
  limit: number,
  record: { bytes: number },
): Promise<Uint8Array | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    return "too-large";
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const part of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += part.length;
      record.bytes = size;
      if (size > limit) {
        return "too-large";
      }
      parts.push(part);
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
