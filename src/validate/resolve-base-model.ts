import { HUB_REPO_ID } from "../config/config-schema.js";
import { isLocalPath } from "../util/is-local-path.js";

export interface BaseModelCandidate {
  value: unknown;
  /** Where the value came from, for messages: "--base-model", "config huggingface.base_model_hf_id", … */
  source: string;
}

/**
 * Pure: the first candidate that is a Hub model id. Local paths (the old tool wrote
 * `/Users/…/OLMo-2-1B-mlx-q4`) are skipped: the Hub rejects them in `base_model`, and they leak
 * the training machine's layout.
 */
export function resolveBaseModel(
  candidates: readonly BaseModelCandidate[],
): { id: string; source: string } | undefined {
  for (const { value, source } of candidates) {
    if (typeof value === "string" && !isLocalPath(value) && HUB_REPO_ID.test(value)) {
      return { id: value, source };
    }
  }
  return undefined;
}
