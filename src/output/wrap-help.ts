/** Below this many columns for a description, it moves under its flag instead of beside it. */
const MIN_TEXT_COLUMNS = 24;
/** How far a description is indented when it moves under its flag. */
const UNDER_INDENT = 8;

/** Words of `text` in lines of at most `width` columns (a word longer than that gets a line of its own). */
function fill(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return line === "" ? lines : [...lines, line];
}

/**
 * One line of a two-column table ("  --flag <value>   what it does") or an indented note: the text
 * after the gap of two or more spaces is wrapped and its continuation lines are indented to where it
 * started; when that leaves too little room, the text goes under the first column instead.
 */
function wrapIndented(line: string, width: number): string[] {
  const row = /^(\s*\S(?:.*?\S)?\s{2,})(\S.*)$/.exec(line);
  if (row === null) {
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    return fill(line, Math.max(1, width - indent.length)).map((part) => `${indent}${part}`);
  }
  const [, head = "", text = ""] = row;
  if (width - head.length >= MIN_TEXT_COLUMNS) {
    const [first = "", ...rest] = fill(text, width - head.length);
    return [`${head}${first}`, ...rest.map((part) => `${" ".repeat(head.length)}${part}`)];
  }
  const indent = " ".repeat(Math.min(UNDER_INDENT, Math.max(0, width - MIN_TEXT_COLUMNS)));
  return [head.trimEnd(), ...fill(text, Math.max(1, width - indent.length)).map((part) => `${indent}${part}`)];
}

/**
 * Pure: help text fitted to a terminal `width`. Paragraphs (consecutive lines that start at the
 * margin) are reflowed as one; indented lines (option and variable tables) are wrapped with a
 * hanging indent. Blank lines and words are kept as they are, so nothing is lost or reordered.
 */
export function wrapHelp(text: string, width: number): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) {
      out.push(...fill(paragraph.join(" "), width));
      paragraph = [];
    }
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      flush();
      out.push(line);
    } else if (/^\s/.test(line)) {
      flush();
      out.push(...(line.length <= width ? [line] : wrapIndented(line, width)));
    } else if (/:$/.test(line)) {
      // A heading ("Options:") stands alone.
      flush();
      out.push(...fill(line, width));
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return out.join("\n");
}
