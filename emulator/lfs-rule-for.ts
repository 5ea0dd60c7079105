import { matchGitPattern } from "./match-git-pattern.js";

/**
 * Pure: what a `.gitattributes` says about storing each path in LFS: true (`filter=lfs`), false (the
 * filter unset, `-filter` or `!filter`, or another filter), undefined when no line speaks of it. Later
 * lines win, as in git. The file is read once; the function it returns answers per path.
 */
export function lfsRuleFor(gitAttributes: string): (filePath: string) => boolean | undefined {
  const rules: Array<{ matches: (filePath: string) => boolean; lfs: boolean }> = [];
  for (const raw of gitAttributes.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) {
      continue;
    }
    const [pattern = "", ...attributes] = line.split(/\s+/);
    const filter = attributes.find((a) => a === "-filter" || a === "!filter" || a.startsWith("filter="));
    if (filter !== undefined) {
      rules.push({ matches: matchGitPattern(pattern, { folders: false }), lfs: filter === "filter=lfs" });
    }
  }
  return (filePath) => rules.findLast((rule) => rule.matches(filePath))?.lfs;
}
