/**
 * The key a bucket's Xet grants name it by ("buckets/alice/b"), beside repo keys ("alice/x",
 * "datasets/alice/x"): three segments, so no model repo's key can collide with it.
 */
export function bucketKey(id: string): string {
  return `buckets/${id}`;
}
