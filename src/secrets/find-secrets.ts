import { decodeBase64Runs } from "./decode-base64-runs.js";
import { SECRET_KINDS } from "./secret-kinds.js";
import { unescapeText } from "./unescape-text.js";

export interface SecretHit {
  line: number;
  /** 1-based, in characters: where the secret starts, or where the escaped line or base64 run holding it starts. */
  column: number;
  kind: string;
  /** The first characters only, enough to find it, never enough to use it. */
  masked: string;
  /** How it was written: as is, behind string escapes (`\n`, `\u0068`), or base64-encoded. */
  encoding: "plain" | "escaped" | "base64";
  /** The secret itself, to tell one finding from another; never printed. */
  value: string;
}

interface Match {
  index: number;
  kind: string;
  value: string;
}

/** Every secret in `text`, once per place (two patterns of one kind may find the same key). */
function matchKinds(text: string): Match[] {
  const matches = new Map<string, Match>();
  for (const { kind, pattern, accept } of SECRET_KINDS) {
    for (const match of text.matchAll(pattern)) {
      const value = match.groups?.value ?? match[0];
      if (accept !== undefined && !accept(value)) {
        continue;
      }
      // Every pattern ends with its value, so this is where the secret itself starts.
      const index = (match.index ?? 0) + match[0].lastIndexOf(value);
      matches.set(`${index}\0${kind}`, { index, kind, value });
    }
  }
  return [...matches.values()];
}

/** Offsets of the line starts of `text`, for turning a match's index into a line number. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
    starts.push(at + 1);
  }
  return starts;
}

function lineIndexOf(starts: readonly number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= index) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

/**
 * Pure: every credential in a text, by line. `firstLine` numbers the text's first line, so a file
 * read in blocks of whole lines reports the file's line numbers. The text is read as it is, with
 * its string escapes undone (JSON logs, notebooks, JSONL records: same lines, as escaped line breaks
 * become spaces), and with its base64 runs decoded when they decode to text; a secret seen in more
 * than one of these ways on a line is one hit.
 */
export function findSecrets(text: string, firstLine = 1): SecretHit[] {
  const hits: SecretHit[] = [];
  const seen = new Set<string>();
  const view = (viewText: string, encoding: "plain" | "escaped", withBase64: boolean): void => {
    const plain = matchKinds(viewText);
    const runs = withBase64 ? decodeBase64Runs(viewText) : [];
    if (plain.length === 0 && runs.length === 0) {
      return;
    }
    const starts = lineStarts(viewText);
    const add = (index: number, match: Match, how: SecretHit["encoding"]): void => {
      const lineIndex = lineIndexOf(starts, index);
      const line = firstLine + lineIndex;
      const key = `${line}\0${match.kind}\0${match.value}`;
      // Each place a plain secret appears is a hit; a decoded one counts once per line.
      if (how !== "plain" && seen.has(key)) {
        return;
      }
      seen.add(key);
      hits.push({
        line,
        column: index - (starts[lineIndex] ?? 0) + 1,
        kind: match.kind,
        masked: `${match.value.slice(0, 6)}…`,
        encoding: how,
        value: match.value,
      });
    };
    for (const match of plain) {
      add(match.index, match, encoding);
    }
    for (const run of runs) {
      const decoded = run.text.includes("\\") ? `${run.text}\n${unescapeText(run.text)}` : run.text;
      for (const match of matchKinds(decoded)) {
        add(run.index, match, "base64");
      }
    }
  };
  const escaped = text.includes("\\");
  view(text, "plain", !escaped);
  if (escaped) {
    // Base64 runs are taken from the text with its escapes undone, where each one stands alone
    // ("\naGZf…" glues an "n" to the run) and holds every run of the raw text.
    view(unescapeText(text), "escaped", true);
  }
  return hits.sort((a, b) => a.line - b.line || a.column - b.column);
}
