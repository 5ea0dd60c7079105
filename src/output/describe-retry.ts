import type { RetryInfo } from "../hub/transport/with-retries.js";

/** A sha256 in hex, as LFS object ids and storage keys spell it. */
const HASH = /^[0-9a-f]{64}$/;

/** "a.bin", "a.bin and b.bin", "a.bin and 2 more files" (one upload can carry several: the same content, or one xorb). */
function namePaths(paths: readonly string[]): string {
  const [first = "", second] = paths;
  if (second === undefined) {
    return first;
  }
  return paths.length === 2 ? `${first} and ${second}` : `${first} and ${paths.length - 1} more files`;
}

/**
 * Pure: the line a retry prints. Storage URLs name a file only by its content hash (`/__lfs/<oid>`,
 * a presigned bucket key ending in it, each multipart part's URL too), so a URL that holds the hash of
 * a file being uploaded names that file instead; Xet storage requests (a xorb holds chunks of many
 * files) say what they carry. Anything else is the endpoint, never its query (presigned signatures).
 */
export function describeRetry(retry: RetryInfo, pathsByHash: ReadonlyMap<string, readonly string[]>): string {
  const wait = `in ${(retry.delayMs / 1000).toFixed(1)} s (${retry.reason}; retry ${retry.attempt} of ${retry.of})`;
  let pathname: string | undefined;
  try {
    pathname = new URL(retry.url).pathname;
  } catch {
    // Not a URL: described as it is, without a query, below.
  }
  const segments = pathname?.split("/") ?? [];
  for (const segment of segments) {
    const paths = HASH.test(segment) ? pathsByHash.get(segment) : undefined;
    if (paths !== undefined && paths.length > 0) {
      return `Retrying the upload of ${namePaths(paths)} ${wait}`;
    }
  }
  const xorb = /\/v\d+\/xorbs\/[^/]+\/([0-9a-f]{64})$/.exec(pathname ?? "")?.[1];
  if (xorb !== undefined) {
    return `Retrying the upload of Xet data (xorb ${xorb.slice(0, 12)}…) ${wait}`;
  }
  if (/\/v\d+\/shards$/.test(pathname ?? "")) {
    return `Retrying the upload of the Xet shard (the files' index) ${wait}`;
  }
  return `Retrying ${retry.method} ${pathname ?? retry.url.split("?")[0] ?? ""} ${wait}`;
}
