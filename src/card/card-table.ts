function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Pure: a two-column Markdown table, cells escaped, followed by a blank line. */
export function cardTable(header: readonly [string, string], rows: ReadonlyArray<readonly [string, string]>): string[] {
  return [
    `| ${header[0]} | ${header[1]} |`,
    "|---|---|",
    ...rows.map(([a, b]) => `| ${escapeCell(a)} | ${escapeCell(b)} |`),
    "",
  ];
}
