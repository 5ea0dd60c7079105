import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { HASH_READ_BYTES } from "./hash-worker-source.js";

/**
 * Reads a file once, in large reads into one buffer (no per-chunk allocation or copy), and returns
 * its sha256 (the LFS oid) and, for files small enough to be stored as regular git blobs, its git
 * blob sha1 (the oid the Hub lists for them). Runs on the calling thread: for many or large files,
 * hashFiles spreads the work over worker threads.
 */
export async function hashFile(
  file: string,
  size: number,
  options: { gitBlobLimit: number; signal?: AbortSignal; onProgress?: (bytes: number) => void },
): Promise<{ sha256: string; gitSha1: string | undefined }> {
  const { signal } = options;
  signal?.throwIfAborted();
  const sha256 = createHash("sha256");
  const sha1 = size <= options.gitBlobLimit ? createHash("sha1").update(`blob ${size}\0`) : undefined;
  // One byte more than expected, so a file that grew is still read in full.
  const buffer = Buffer.allocUnsafe(Math.min(HASH_READ_BYTES, Math.max(64 * 1024, size + 1)));
  const handle = await open(file, "r");
  try {
    let done = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      signal?.throwIfAborted();
      if (bytesRead === 0) {
        break;
      }
      const chunk = bytesRead === buffer.byteLength ? buffer : buffer.subarray(0, bytesRead);
      sha256.update(chunk);
      sha1?.update(chunk);
      done += bytesRead;
      options.onProgress?.(done);
    }
  } finally {
    await handle.close();
  }
  return { sha256: sha256.digest("hex"), gitSha1: sha1?.digest("hex") };
}
