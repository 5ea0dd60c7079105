import type { RunIssue } from "../errors.js";
import { showValue } from "../util/show-value.js";

export interface MlxAdapterConfig {
  fineTuneType: "lora" | "dora";
  rank: number;
  /** The MLX `scale` (effective LoRA multiplier for mlx-lm ≥ 0.14.2). */
  scale: number;
  dropout: number;
  /** `num_layers` (or the legacy `lora_layers`); -1 means all. */
  numLayers: number | undefined;
  /** Set when the file could come from mlx-lm ≤ 0.14.1, where the multiplier was scale·alpha/rank. */
  legacyAlpha: number | undefined;
  /** The `model` the run was trained from, as written (Hub id or local path). */
  model: string | undefined;
  /** The training settings mlx-lm recorded that a model card shows, as written. */
  settings: Array<[string, string]>;
}

/** mlx-lm's arguments worth stating on a card; the rest are machine details or defaults. */
const CARD_SETTINGS = ["iters", "batch_size", "learning_rate", "optimizer", "max_seq_length", "seed"];

function positive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/**
 * Pure: normalises an mlx-lm adapter_config.json across its versions (see the reference's table:
 * `lora_layers` → `num_layers`, `use_dora` → `fine_tune_type`, alpha dropped in 2025) and reports
 * every problem with it.
 */
export function readMlxAdapterConfig(
  raw: unknown,
  file: string,
): { config: MlxAdapterConfig | undefined; issues: RunIssue[] } {
  const issues: RunIssue[] = [];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { config: undefined, issues: [{ file, message: "must be a JSON object" }] };
  }
  const record = raw as Record<string, unknown>;
  const type = record.fine_tune_type ?? (record.use_dora === true ? "dora" : "lora");
  if (type === "full") {
    issues.push({
      file,
      message:
        "fine_tune_type is full: these are full weights, not LoRA adapters; fuse them with mlx_lm.fuse and upload the fused model",
    });
  } else if (type !== "lora" && type !== "dora") {
    issues.push({ file, message: `fine_tune_type must be lora or dora, got ${showValue(type)}` });
  }
  const params = record.lora_parameters;
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    if (type !== "full") {
      issues.push({
        file,
        message: "lora_parameters is missing: it holds the rank and scale the adapter was trained with",
      });
    }
    return { config: undefined, issues };
  }
  const { rank, scale, dropout, alpha } = params as Record<string, unknown>;
  if (!positive(rank) || !Number.isInteger(rank)) {
    issues.push({ file, message: `lora_parameters.rank must be a positive integer, got ${showValue(rank)}` });
  }
  if (!positive(scale)) {
    issues.push({ file, message: `lora_parameters.scale must be a positive number, got ${showValue(scale)}` });
  }
  if (dropout !== undefined && !(typeof dropout === "number" && dropout >= 0 && dropout < 1)) {
    issues.push({
      file,
      message: `lora_parameters.dropout must be a number in [0, 1), got ${showValue(dropout)}`,
    });
  }
  if (issues.length > 0 || (type !== "lora" && type !== "dora") || !positive(rank) || !positive(scale)) {
    return { config: undefined, issues };
  }
  const numLayers = record.num_layers ?? record.lora_layers;
  return {
    issues,
    config: {
      fineTuneType: type,
      rank,
      scale,
      dropout: typeof dropout === "number" ? dropout : 0,
      numLayers: typeof numLayers === "number" ? numLayers : undefined,
      legacyAlpha: "lora_layers" in record && positive(alpha) ? alpha : undefined,
      model: typeof record.model === "string" ? record.model : undefined,
      settings: CARD_SETTINGS.flatMap((key): Array<[string, string]> => {
        const value = record[key];
        // mlx-lm writes each of these as a string or a number; anything else is not its setting.
        return typeof value === "string" || typeof value === "number" ? [[key, String(value)]] : [];
      }),
    },
  };
}
