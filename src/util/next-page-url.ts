/** Pure: the `rel="next"` URL of a `Link` header (how the Hub pages its listings), or undefined. */
export function nextPageUrl(link: string | null): string | undefined {
  for (const part of (link ?? "").split(",")) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match?.[2] !== undefined && /(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/.test(match[2])) {
      return match[1];
    }
  }
  return undefined;
}
