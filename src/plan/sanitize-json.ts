import { isLocalPath } from "../util/is-local-path.js";

/** Keys that only make sense on the training machine (mlx-lm dumps all CLI args into adapter_config.json). */
const MACHINE_KEYS = new Set([
  "adapter_path",
  "data",
  "resume_adapter_file",
  "training_data_dir",
  "output_dir",
  "logging_dir",
  "cache_dir",
  "upload_staging_dir",
  "workspace_dir",
]);

/** Keys naming the base model; a local path there is replaced by the Hub id when we know it. */
const MODEL_KEYS = new Set(["model", "base_model", "base_model_name_or_path", "_name_or_path", "name_or_path"]);

export interface SanitizeResult {
  value: unknown;
  /** Human-readable notes such as "data: removed (machine-specific)". */
  changes: string[];
}

/**
 * Pure: removes machine-specific keys and every local path from a parsed JSON document, at any
 * depth. A base-model key holding a local path becomes `baseModelHubId` when given.
 */
export function sanitizeJson(value: unknown, options: { baseModelHubId?: string | undefined }): SanitizeResult {
  const changes: string[] = [];
  const walk = (node: unknown, at: string, depth: number): unknown => {
    if (Array.isArray(node)) {
      const kept: unknown[] = [];
      node.forEach((item, index) => {
        if (typeof item === "string" && isLocalPath(item)) {
          changes.push(`${at}[${index}]: removed (local path)`);
        } else {
          kept.push(walk(item, `${at}[${index}]`, depth + 1));
        }
      });
      return kept;
    }
    if (node === null || typeof node !== "object") {
      return node;
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const where = at === "" ? key : `${at}.${key}`;
      if (depth === 0 && MACHINE_KEYS.has(key)) {
        if (child !== null) {
          changes.push(`${where}: removed (machine-specific)`);
        }
        continue;
      }
      if (typeof child === "string" && isLocalPath(child)) {
        if (MODEL_KEYS.has(key) && options.baseModelHubId !== undefined) {
          out[key] = options.baseModelHubId;
          changes.push(`${where}: local path replaced by ${options.baseModelHubId}`);
        } else {
          changes.push(`${where}: removed (local path)`);
        }
        continue;
      }
      out[key] = walk(child, where, depth + 1);
    }
    return out;
  };
  return { value: walk(value, "", 0), changes };
}
