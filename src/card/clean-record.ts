import { sanitizeJson } from "../plan/sanitize-json.js";
import { isPlainObject } from "../util/is-plain-object.js";

/**
 * Pure: a recorded JSON object as a card may quote it: through the same sanitizer as the uploaded
 * files (no local paths, no machine-only keys; a local base-model path becomes its Hub id).
 * Anything that is not an object gives undefined.
 */
export function cleanRecord(value: unknown, baseModelHubId: string | undefined): Record<string, unknown> | undefined {
  const sanitized = value === undefined ? undefined : sanitizeJson(value, { baseModelHubId }).value;
  return isPlainObject(sanitized) ? sanitized : undefined;
}
