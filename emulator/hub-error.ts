import { jsonResponse } from "./json-response.js";

/** The `X-Error-Code` values huggingface_hub maps to its typed errors. */
export type HubErrorCode = "RepoNotFound" | "RevisionNotFound" | "EntryNotFound" | "GatedRepo";

/**
 * An error as the Hub sends it: `{"error": message}` plus `X-Error-Message` (and `X-Error-Code` when
 * the Hub has one), which huggingface_hub turns into RepositoryNotFoundError, RevisionNotFoundError, ...
 * `extra` adds fields to the body (validate-yaml's `errors`).
 */
export function hubError(
  status: number,
  message: string,
  code?: HubErrorCode,
  extra: Record<string, unknown> = {},
): Response {
  const header = message.replace(/[^\x20-\x7e]+/g, " ").slice(0, 500);
  return jsonResponse({ ...extra, error: message }, status, {
    "x-error-message": header,
    ...(code === undefined ? {} : { "x-error-code": code }),
  });
}
