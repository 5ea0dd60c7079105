import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * Streams a file once and returns its sha256 (the LFS oid) and, for files small enough to be stored
 * as regular git blobs, its git blob sha1 (the oid the Hub lists for them).
 */
export async function hashFile(
  file: string,
  size: number,
  options: { gitBlobLimit: number; signal?: AbortSignal },
): Promise<{ sha256: string; gitSha1: string | undefined }> {
  const sha256 = createHash("sha256");
  const sha1 = size <= options.gitBlobLimit ? createHash("sha1").update(`blob ${size}\0`) : undefined;
  const stream = createReadStream(file, {
    highWaterMark: 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const chunk of stream) {
    sha256.update(chunk as Buffer);
    sha1?.update(chunk as Buffer);
  }
  return { sha256: sha256.digest("hex"), gitSha1: sha1?.digest("hex") };
}
