import type { FakeBucket } from "./types.js";

/** Pure: a bucket as `GET /api/buckets/{id}` and the bucket listings answer it (huggingface_hub's BucketInfo). */
export function bucketInfoJson(bucket: FakeBucket): Record<string, unknown> {
  const files = [...bucket.files.values()];
  return {
    id: bucket.id,
    private: bucket.private,
    createdAt: bucket.createdAt,
    size: files.reduce((sum, file) => sum + file.size, 0),
    totalFiles: files.length,
  };
}
