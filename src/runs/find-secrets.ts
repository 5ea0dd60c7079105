import { hfTokenPattern } from "../util/hf-token-pattern.js";

export interface SecretHit {
  line: number;
  /** 1-based, in characters. */
  column: number;
  kind: string;
  /** The first characters only, enough to find it, never enough to use it. */
  masked: string;
}

const PATTERNS: ReadonlyArray<{ kind: string; pattern: RegExp }> = [
  { kind: "Hugging Face token", pattern: hfTokenPattern("text") },
  { kind: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: "AWS secret access key", pattern: /aws_secret_access_key["']?\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/gi },
  { kind: "private key", pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b/g },
  { kind: "OpenAI API key", pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/g },
  { kind: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
];

/**
 * Pure: every credential-shaped string in a text, by line. `firstLine` numbers the text's first
 * line, so a file read in blocks of whole lines reports the line numbers of the file.
 */
export function findSecrets(text: string, firstLine = 1): SecretHit[] {
  const hits: SecretHit[] = [];
  const lines = text.split("\n");
  lines.forEach((content, index) => {
    for (const { kind, pattern } of PATTERNS) {
      for (const match of content.matchAll(pattern)) {
        hits.push({
          line: firstLine + index,
          column: (match.index ?? 0) + 1,
          kind,
          masked: `${match[0].slice(0, 6)}…`,
        });
      }
    }
  });
  return hits;
}
