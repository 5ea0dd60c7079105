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
  // With a Content-Length (hf_xet and hub.js send one), the body is read straight into its buffer: one copy in memory.
  const known = request.headers.get("content-length") === null ? undefined : new Uint8Array(declared);
  const parts: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const part of request.body as unknown as AsyncIterable<Uint8Array>) {
      if (size + part.length > limit || (known !== undefined && size + part.length > known.length)) {
        record.bytes = size + part.length;
        return "too-large";
      }
      if (known) {
        known.set(part, size);
      } else {
        parts.push(part);
      }
      size += part.length;
      record.bytes = size;
    }
  }
  if (known) {
    return known.subarray(0, size);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
