import { HttpStatusError } from "./http-status-error.js";

/** The error an error answer stands for: the Hub's own message (`{"error": …}`) when it sent one. */
export async function httpStatusErrorFrom(response: Response): Promise<HttpStatusError> {
  const text = await response.text().catch(() => "");
  let message = text.trim() === "" ? `HTTP ${response.status}` : text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") {
      message = parsed.error;
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  return new HttpStatusError(response.status, message, response.headers.get("x-request-id") ?? undefined);
}
