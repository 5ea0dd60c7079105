import { lfsRuleFor } from "./lfs-rule-for.js";

/** A path as a `.gitattributes` pattern that matches exactly it (glob characters escaped, spaces as a class). */
const asPattern = (filePath: string): string => filePath.replace(/[*?[\\]/g, "\\$&").replace(/\s/g, "[[:space:]]");

/**
 * Pure: a `.gitattributes` extended as the Hub extends it when a commit stores files in LFS that no
 * rule covers: one `<path> filter=lfs diff=lfs merge=lfs -text` line per such file, so git-lfs clients
 * see them as LFS too. Unchanged when every path is covered.
 */
export function trackLfsPaths(gitAttributes: string, lfsPaths: readonly string[]): string {
  const rule = lfsRuleFor(gitAttributes);
  const missing = [...new Set(lfsPaths)].filter((filePath) => rule(filePath) !== true);
  if (missing.length === 0) {
    return gitAttributes;
  }
  const base = gitAttributes === "" || gitAttributes.endsWith("\n") ? gitAttributes : `${gitAttributes}\n`;
  return `${base}${missing.map((filePath) => `${asPattern(filePath)} filter=lfs diff=lfs merge=lfs -text\n`).join("")}`;
}
