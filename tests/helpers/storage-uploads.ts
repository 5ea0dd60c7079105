import type { RecordedRequest } from "../../emulator/types.js";

/** A request that sends file content to storage: an LFS PUT (whole or a part), a Xet xorb or shard. */
export function isStorageUpload(request: Pick<RecordedRequest, "method" | "path">): boolean {
  return (
    request.method === "PUT" ||
    (request.method === "POST" && /^\/__xet\/(?:v1\/xorbs\/|v[12]\/shards$)/.test(request.path))
  );
}

/** The storage uploads among `requests` (see isStorageUpload) that succeeded: how many, and their body bytes. */
export function storageUploads(requests: readonly RecordedRequest[]): { count: number; bytes: number } {
  const sent = requests.filter((request) => isStorageUpload(request) && request.status < 300);
  return { count: sent.length, bytes: sent.reduce((sum, request) => sum + request.bytes, 0) };
}
