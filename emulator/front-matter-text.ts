/** The YAML block at the top of a card, after any leading blank lines (as huggingface_hub reads it). */
const BLOCK = /^\s*---[\r\n]+([\S\s]*?)[\r\n]+---(?:\r\n|\n|$)/;

/** Pure: the text of a card's YAML front matter, or undefined when the card has none. */
export function frontMatterText(readme: string): string | undefined {
  return BLOCK.exec(readme)?.[1];
}
