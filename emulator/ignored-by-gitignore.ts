import { matchGitPattern } from "./match-git-pattern.js";

/**
 * Pure: which paths a root `.gitignore` ignores (later lines win; "!" re-includes). The file is read
 * once; the function it returns answers per path.
 */
export function ignoredByGitignore(gitIgnore: string): (filePath: string) => boolean {
  const rules: Array<{ matches: (filePath: string) => boolean; ignore: boolean }> = [];
  for (const raw of gitIgnore.split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (line !== "" && !line.startsWith("#")) {
      const negated = line.startsWith("!");
      rules.push({ matches: matchGitPattern(negated ? line.slice(1) : line, { folders: true }), ignore: !negated });
    }
  }
  return (filePath) => rules.findLast((rule) => rule.matches(filePath))?.ignore ?? false;
}
