import { load } from "js-yaml";

/** The README's YAML front matter as the Hub reports it in `cardData`; undefined when absent or unreadable. */
export function readCardData(readme: string): Record<string, unknown> | undefined {
  const match = /^---[\n\r]+([\S\s]*?)[\n\r]+---[\n\r]/.exec(readme);
  if (!match) {
    return undefined;
  }
  try {
    const parsed = load(match[1] ?? "");
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
