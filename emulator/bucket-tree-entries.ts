import { bucketFileJson } from "./bucket-file-json.js";
import type { FakeBucket } from "./types.js";

/**
 * Pure: a bucket's listing under `prefix`, sorted by path. Recursive (the default): every file whose
 * path starts with `prefix`. Not recursive: what the folder `prefix` holds directly, its files and its
 * folders (`{type: "directory", path, uploadedAt}` with the newest upload below it).
 */
export function bucketTreeEntries(
  bucket: FakeBucket,
  prefix: string,
  recursive: boolean,
): Array<Record<string, unknown>> {
  const byPath = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  if (recursive) {
    return [...bucket.files]
      .filter(([filePath]) => filePath.startsWith(prefix))
      .sort(byPath)
      .map(([filePath, file]) => bucketFileJson(filePath, file));
  }
  const folder = prefix.replace(/\/+$/, "");
  const base = folder === "" ? "" : `${folder}/`;
  const entries = new Map<string, Record<string, unknown>>();
  for (const [filePath, file] of bucket.files) {
    if (!filePath.startsWith(base)) {
      continue;
    }
    const [child = ""] = filePath.slice(base.length).split("/");
    if (child === filePath.slice(base.length)) {
      entries.set(filePath, bucketFileJson(filePath, file));
      continue;
    }
    const dir = `${base}${child}`;
    const seen = entries.get(dir)?.uploadedAt;
    if (typeof seen !== "string" || seen < file.uploadedAt) {
      entries.set(dir, { type: "directory", path: dir, uploadedAt: file.uploadedAt });
    }
  }
  return [...entries].sort(byPath).map(([, entry]) => entry);
}
