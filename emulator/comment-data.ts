const escapeHtml = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The `data` of a comment event as the Hub gives it: the latest text (raw, and as HTML; here only
 * escaped, not rendered from markdown), who wrote it and when, and its edit history, newest first.
 */
export function commentData(
  raw: string,
  author: string,
  previous?: { history: unknown[] },
): { edited: boolean; hidden: boolean; latest: Record<string, unknown>; numEdits: number; history: unknown[] } {
  const latest = {
    raw,
    html: `<p>${escapeHtml(raw)}</p>`,
    updatedAt: new Date().toISOString(),
    author: { name: author },
  };
  const history = [latest, ...(previous?.history ?? [])];
  return { edited: previous !== undefined, hidden: false, latest, numEdits: history.length - 1, history };
}
