import type { RunIssue } from "../errors.js";
import { scanContent } from "./scan-content.js";
import { secretIssues } from "./secret-issues.js";

/**
 * Every secret in files the tool wrote itself (cards, sanitized and converted configs, the PEFT
 * safetensors header), read exactly as run files are. Their values come from the run, the config
 * and the flags, and an escape undone while rewriting can reveal what the run's text hid.
 */
export async function scanGeneratedFiles(
  files: ReadonlyArray<{ label: string; bytes: Uint8Array }>,
): Promise<RunIssue[]> {
  const issues: RunIssue[] = [];
  for (const file of files) {
    issues.push(...secretIssues(file.label, await scanContent({ bytes: file.bytes })));
  }
  return issues;
}
