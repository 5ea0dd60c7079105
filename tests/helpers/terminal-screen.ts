/** Columns a character takes on a terminal: emoji (🎯, ✅, 📁) take two, everything the tool prints otherwise one. */
function columnsOf(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x1f000 || (code >= 0x2600 && code <= 0x27bf) ? 2 : 1;
}

/**
 * What a terminal `columns` wide shows after `output` (what a pseudo-terminal recorded): each row as
 * left by carriage returns, erase-to-end-of-line (ESC [ K), newlines and line wrapping, as xterm does
 * them; other escape sequences are ignored. `cursorColumn` is where the next output would start: 0
 * when the output ended with a newline, so nothing is glued to it.
 */
export function terminalScreen(output: string, columns: number): { rows: string[]; cursorColumn: number } {
  const rows: string[][] = [[]];
  let row = 0;
  let column = 0;
  let pendingWrap = false;
  const line = (): string[] => (rows[row] ??= []);
  for (let index = 0; index < output.length;) {
    const rest = output.slice(index);
    if (rest.startsWith("\u001b[")) {
      const sequence = /^.\[[0-9;?]*([A-Za-z])/.exec(rest);
      if (sequence?.[1] === "K") {
        line().splice(column);
      }
      index += sequence?.[0].length ?? 1;
      continue;
    }
    const char = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    index += char.length;
    if (char === "\r") {
      column = 0;
      pendingWrap = false;
    } else if (char === "\n") {
      row++;
      line();
      pendingWrap = false;
    } else {
      const width = columnsOf(char);
      if (pendingWrap || column + width > columns) {
        row++;
        column = 0;
        pendingWrap = false;
      }
      const cells = line();
      while (cells.length < column) {
        cells.push(" ");
      }
      cells[column] = char;
      if (width === 2) {
        cells[column + 1] = "";
      }
      column += width;
      if (column >= columns) {
        column = columns;
        pendingWrap = true;
      }
    }
  }
  return { rows: rows.map((cells) => (cells ?? []).join("").trimEnd()), cursorColumn: pendingWrap ? columns : column };
}
