import { load } from "js-yaml";
import { frontMatterText } from "./front-matter-text.js";

/** The README's YAML front matter as the Hub reports it in `cardData`; undefined when absent or unreadable. */
export function readCardData(readme: string): Record<string, unknown> | undefined {
  const yaml = frontMatterText(readme);
  if (yaml === undefined) {
    return undefined;
  }
  try {
    const parsed = load(yaml);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
