import type { FakeBucketFile } from "./types.js";

/** Pure: a bucket's file as its tree and paths-info list it (huggingface_hub's BucketFile). */
export function bucketFileJson(filePath: string, file: FakeBucketFile): Record<string, unknown> {
  return {
    type: "file",
    path: filePath,
    size: file.size,
    xetHash: file.xetHash,
    mtime: file.mtime,
    uploadedAt: file.uploadedAt,
    ...(file.contentType === undefined ? {} : { contentType: file.contentType }),
  };
}
