/**
 * The keys of a JSON object's top level, in order, duplicates kept. JSON.parse silently keeps the
 * last of two equal keys, and the safetensors spec disallows duplicates, so we need to see them.
 * Assumes `text` already parsed as a JSON object.
 */
export function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        j += text[j] === "\\" ? 2 : 1;
      }
      if (depth === 1 && expectKey) {
        keys.push(JSON.parse(text.slice(i, j + 1)) as string);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (ch === "{" || ch === "[") {
      depth++;
      if (depth === 1) {
        expectKey = true;
      }
    } else if (ch === "}" || ch === "]") {
      depth--;
    } else if (ch === "," && depth === 1) {
      expectKey = true;
    }
    i++;
  }
  return keys;
}
