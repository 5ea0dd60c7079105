import path from "node:path";

/** Pure: whether `target` is `root` itself or lies below it (both absolute, links already resolved). */
export function isInsideFolder(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
