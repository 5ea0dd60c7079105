/** A bracket expression's POSIX class names, as git's wildmatch knows them. */
const CLASSES: Record<string, string> = {
  alnum: "a-zA-Z0-9",
  alpha: "a-zA-Z",
  digit: "0-9",
  lower: "a-z",
  upper: "A-Z",
  space: "\\s",
  punct: "!-/:-@[-`{-~",
  xdigit: "0-9a-fA-F",
};

const escapeRegExp = (text: string): string => text.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&");

/** A bracket expression starting at `pattern[start]` ("[a-z]", "[!0-9]", "[[:space:]]"), or undefined if unclosed. */
function readBracket(pattern: string, start: number): { regExp: string; end: number } | undefined {
  let i = start + 1;
  const negated = pattern[i] === "!" || pattern[i] === "^";
  if (negated) {
    i++;
  }
  let inner = "";
  for (let first = true; i < pattern.length; i++, first = false) {
    const char = pattern.charAt(i);
    if (char === "]" && !first) {
      return { regExp: `[${negated ? "^/" : ""}${inner}]`, end: i };
    }
    const posix = char === "[" ? /^\[:([a-z]+):\]/.exec(pattern.slice(i)) : null;
    if (posix) {
      inner += CLASSES[posix[1] ?? ""] ?? "";
      i += posix[0].length - 1;
    } else {
      inner += char === "\\" || char === "]" || char === "[" || char === "^" ? `\\${char}` : char;
    }
  }
  return undefined;
}

/** Pure: a wildmatch pattern (no leading slash) as an anchored regular expression over a whole path. */
function toRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        const before = i === 0 || pattern[i - 1] === "/";
        const after = pattern[i + 2];
        if (before && after === "/") {
          out += "(?:.*/)?"; // "**/": any number of folders, none included
          i += 2;
          continue;
        }
        if (before && after === undefined) {
          out += ".*"; // a trailing "/**": everything inside
          i += 1;
          continue;
        }
      }
      out += "[^/]*";
    } else if (char === "?") {
      out += "[^/]";
    } else if (char === "[") {
      const bracket = readBracket(pattern, i);
      if (bracket === undefined) {
        out += "\\[";
      } else {
        out += bracket.regExp;
        i = bracket.end;
      }
    } else if (char === "\\" && i + 1 < pattern.length) {
      out += escapeRegExp(pattern.charAt(i + 1));
      i += 1;
    } else {
      out += escapeRegExp(char);
    }
  }
  return new RegExp(`^${out}$`);
}

/**
 * Pure: a matcher for one pattern of a `.gitattributes` or `.gitignore` (root of the repo), with git's
 * rules: a pattern without a slash matches a name at any depth (and, when `folders` counts, the
 * folders of the path too, as in a `.gitignore`); one with a slash is anchored at the root; `*` and
 * `?` stop at "/", `**` crosses folders; a trailing "/" matches folders only. Compiled once, so a
 * listing of thousands of paths does not build thousands of expressions.
 */
export function matchGitPattern(pattern: string, options: { folders: boolean }): (filePath: string) => boolean {
  const folderOnly = pattern.endsWith("/");
  let body = folderOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes("/");
  body = body.startsWith("/") ? body.slice(1) : body;
  const regExp = toRegExp(body);
  return (filePath) => {
    const parts = filePath.split("/");
    // The file itself, then (when folders count) every folder that holds it.
    for (let end = parts.length; end >= 1; end--) {
      const folder = end < parts.length;
      if (folder && !options.folders) {
        return false;
      }
      if ((!folderOnly || folder) && regExp.test(anchored ? parts.slice(0, end).join("/") : (parts[end - 1] ?? ""))) {
        return true;
      }
    }
    return false;
  };
}
