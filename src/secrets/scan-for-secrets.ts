import type { RunIssue } from "../errors.js";
import { compareStrings } from "../util/compare-strings.js";
import { mapLimit } from "../util/map-limit.js";
import { scanContent } from "./scan-content.js";
import { secretIssues } from "./secret-issues.js";

/** Files that exist to hold credentials: refused whatever they hold. */
function credentialFile(base: string): string | undefined {
  if (base === ".env" || base.startsWith(".env.") || base.endsWith(".env")) {
    return "is an environment file, which holds secrets; remove it from the run";
  }
  if (base === ".netrc" || base === "_netrc") {
    return "is a netrc file, which holds passwords; remove it from the run";
  }
  return undefined;
}

/**
 * Reads every file of the run (whatever its name or size, streamed; see scanContent for how each
 * kind of content is read) and reports every credential found, with file, line and a masked
 * excerpt. `.env` and `.netrc` files are refused outright: they exist to hold secrets.
 */
export async function scanForSecrets(
  files: ReadonlyArray<{ rel: string; abs: string; size: number }>,
): Promise<RunIssue[]> {
  const issues: RunIssue[] = [];
  await mapLimit(files, 8, async (file) => {
    const refused = credentialFile(file.rel.split("/").pop() ?? "");
    if (refused !== undefined) {
      issues.push({ file: file.rel, message: refused });
      return;
    }
    try {
      issues.push(...secretIssues(file.rel, await scanContent({ abs: file.abs, size: file.size })));
    } catch (error) {
      issues.push({
        file: file.rel,
        message: `cannot be read to check it for secrets (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      });
    }
  });
  return issues.sort((a, b) => compareStrings(a.file, b.file));
}
