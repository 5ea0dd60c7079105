import { hfTokenPattern } from "../util/hf-token-pattern.js";

export interface SecretKind {
  kind: string;
  /** Global; the secret is the named group `value` when there is one, else the whole match. None may span lines. */
  pattern: RegExp;
  /** A further condition on the secret, for patterns that must ignore case in their context but not in the value. */
  accept?: (value: string) => boolean;
}

/** W&B API keys are 40 lowercase hex (a "local-" prefix for W&B Server); a bare one is a git commit id. */
const WANDB_KEY = "(?<value>(?:local-)?[0-9a-fA-F]{40})";
const isWandbKey = (value: string): boolean => /^(?:local-)?[0-9a-f]{40}$/.test(value);

/**
 * Every kind of credential the secret scan looks for (README, "Reliability and safety", lists the
 * same kinds; a test holds the two together). Each pattern is specific enough that a hash is never
 * taken for a secret: a 40-hex string is a W&B key only next to WANDB_API_KEY, an `api_key`-like
 * key, or a wandb login/netrc line.
 */
export const SECRET_KINDS: readonly SecretKind[] = [
  { kind: "Hugging Face token", pattern: hfTokenPattern("text") },
  { kind: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: "AWS secret access key",
    pattern: /aws_secret_access_key["'\]]*[ \t]*[=:][ \t]*["']?(?<value>[A-Za-z0-9/+=]{40})/gi,
  },
  { kind: "private key", pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b/g },
  { kind: "OpenAI API key", pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/g },
  { kind: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  {
    // WANDB_API_KEY=…, os.environ["WANDB_API_KEY"] = "…", "api_key": "…", api-key: …
    kind: "W&B API key",
    pattern: new RegExp(`\\b(?:wandb[_-]?)?api[_-]?key\\b["'\\]]*[ \\t]*[=:][ \\t]*["']?${WANDB_KEY}\\b`, "gi"),
    accept: isWandbKey,
  },
  {
    // "wandb: … netrc: <key>", "wandb login <key>"
    kind: "W&B API key",
    pattern: new RegExp(`\\bwandb\\b[^\\n]{0,200}?\\b(?:netrc|login)\\b[^\\n]{0,200}?\\b${WANDB_KEY}\\b`, "gi"),
    accept: isWandbKey,
  },
  {
    // A netrc entry on one line: machine api.wandb.ai login user password <key>
    kind: "W&B API key",
    pattern: new RegExp(`\\bapi\\.wandb\\.ai\\b[^\\n]{0,200}?\\bpassword[ \\t]+${WANDB_KEY}\\b`, "gi"),
    accept: isWandbKey,
  },
];
