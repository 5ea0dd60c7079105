import { findSecrets } from "../secrets/find-secrets.js";

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * A recorded value never reaches a card when it looks like a secret: the run is refused for it
 * anyway, and a card must not carry it even where that check is bypassed.
 */
function withheld(text: string): string {
  const kind = findSecrets(text)[0]?.kind;
  return kind === undefined ? text : `(withheld: it looks like a ${kind})`;
}

const row = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(" | ")} |`;

/**
 * Pure: a Markdown table (as many columns as the header has), cells escaped, followed by a blank
 * line; no cell copies a secret.
 */
export function cardTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const lines = rows.map(row);
  // One search over the whole table (a run can list thousands of files); a row with a hit is rebuilt.
  for (const hit of findSecrets(lines.join("\n"))) {
    const cells = rows[hit.line - 1] ?? [];
    lines[hit.line - 1] = row(cells.map(withheld));
  }
  return [row(header), `|${header.map(() => "---").join("|")}|`, ...lines, ""];
}
