const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([nrtbf])|(["'\\/]))/g;
const CONTROL: Record<string, string> = { n: " ", r: " ", t: "\t", b: "\b", f: "\f" };

/**
 * Pure: the text with JSON and Python string escapes undone (`\n`, `\u0068`, `\x68`, `\"`, `\/`),
 * wherever they are: no need to know where a string literal starts, so a piece cut from the middle
 * of a long line decodes like the whole. An escape can hide a secret from a pattern (`\nWANDB_API_KEY`
 * has no word boundary before the key; `hf\u005f…` is a token once decoded). An escaped line break
 * becomes a space, so the text keeps its lines and line numbers. Unknown escapes stay as they are.
 */
export function unescapeText(text: string): string {
  return text.replace(ESCAPE, (whole, unicode?: string, hex?: string, control?: string, literal?: string) => {
    if (unicode !== undefined || hex !== undefined) {
      const char = String.fromCharCode(Number.parseInt(unicode ?? hex ?? "", 16));
      return char === "\n" || char === "\r" ? " " : char;
    }
    if (control !== undefined) {
      return CONTROL[control] ?? whole;
    }
    return literal ?? whole;
  });
}
