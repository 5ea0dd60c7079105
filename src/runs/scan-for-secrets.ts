import { readFile } from "node:fs/promises";
import type { RunIssue } from "../errors.js";
import { mapLimit } from "../util/map-limit.js";
import { findSecrets } from "./find-secrets.js";
import type { RunFile } from "./inspect-run.js";

/** Text formats a training run may carry and a person may have pasted a credential into. */
const TEXT_FILE = /\.(json|jsonl|ya?ml|md|txt|py|toml|cfg|ini|sh|csv|log|ipynb)$/i;
const MAX_SCAN_BYTES = 16 * 1024 * 1024;

/**
 * Reads the run's text files (up to a size cap) and reports every credential found, with file,
 * line and a masked excerpt. `.env` files are refused outright: they exist to hold secrets.
 */
export async function scanForSecrets(files: readonly RunFile[]): Promise<RunIssue[]> {
  const issues: RunIssue[] = [];
  await mapLimit(files, 8, async (file) => {
    const base = file.rel.split("/").pop() ?? "";
    if (base === ".env" || base.startsWith(".env.") || base.endsWith(".env")) {
      issues.push({ file: file.rel, message: "is an environment file, which holds secrets; remove it from the run" });
      return;
    }
    if (!TEXT_FILE.test(base) || file.size > MAX_SCAN_BYTES) {
      return;
    }
    const text = await readFile(file.abs, "utf8").catch(() => "");
    for (const hit of findSecrets(text)) {
      issues.push({
        file: file.rel,
        message: `line ${hit.line}: ${hit.kind} (${hit.masked}); remove it — a secret must never be published`,
      });
    }
  });
  return issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
