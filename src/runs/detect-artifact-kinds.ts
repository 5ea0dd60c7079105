import type { RunIssue } from "../errors.js";
import { CHECKPOINT_NAME } from "./exclusion-reason.js";
import type { RunInspection } from "./inspect-run.js";

export type ArtifactKind = "mlx-lora" | "fused" | "peft";

export const KIND_LABELS: Readonly<Record<ArtifactKind, string>> = {
  "mlx-lora": "MLX LoRA adapters",
  fused: "fused model",
  peft: "PEFT adapter",
};

export interface DetectedArtifacts {
  /** Most specific first: fused, then peft, then mlx-lora. */
  kinds: ArtifactKind[];
  /** Folder of the MLX adapter files relative to the run ("adapters" or "" for the root). */
  mlxAdapterDir: string | undefined;
  /** Shard files of a fused model, when sharded. */
  shards: string[];
  /** Half-present artifacts: e.g. adapters.safetensors without its adapter_config.json. */
  issues: RunIssue[];
}

export const SHARD_NAME = /^model-(\d{5})-of-(\d{5})\.safetensors$/;
export const SHARD_INDEX = "model.safetensors.index.json";

function hasPeftType(value: unknown): boolean {
  return value !== null && typeof value === "object" && "peft_type" in value;
}

/** Pure: which artifacts a run holds, judged from the listing and the parsed JSON files. */
export function detectArtifactKinds(inspection: Pick<RunInspection, "files" | "json" | "excluded">): DetectedArtifacts {
  const present = new Set(inspection.files.map((file) => file.rel));
  const jsonValue = (rel: string): unknown => {
    const parsed = inspection.json.get(rel);
    return parsed?.ok ? parsed.value : undefined;
  };
  const kinds: ArtifactKind[] = [];
  const issues: RunIssue[] = [];

  const shards = [...present].filter((rel) => SHARD_NAME.test(rel)).sort();
  const hasWeights = present.has("model.safetensors") || shards.length > 0;
  if (present.has("config.json") && hasWeights) {
    kinds.push("fused");
    if (shards.length > 0 && !present.has(SHARD_INDEX)) {
      issues.push({
        file: SHARD_INDEX,
        message: `missing: a sharded model needs it to map tensors to the ${shards.length} shard files`,
      });
    }
  } else if (hasWeights) {
    issues.push({ file: "config.json", message: "missing: a fused model needs config.json next to its weights" });
  }

  const rootConfig = jsonValue("adapter_config.json");
  if (present.has("adapter_model.safetensors") || hasPeftType(rootConfig)) {
    if (!present.has("adapter_config.json")) {
      issues.push({
        file: "adapter_config.json",
        message: "missing: a PEFT adapter needs it next to adapter_model.safetensors",
      });
    } else if (!present.has("adapter_model.safetensors")) {
      issues.push({
        file: "adapter_model.safetensors",
        message: "missing: adapter_config.json has peft_type but there are no PEFT weights",
      });
    } else if (!hasPeftType(rootConfig)) {
      if (inspection.json.get("adapter_config.json")?.ok) {
        issues.push({
          file: "adapter_config.json",
          message: "has no peft_type, so adapter_model.safetensors cannot be loaded as a PEFT adapter",
        });
      }
    } else {
      kinds.push("peft");
    }
  }

  let mlxAdapterDir: string | undefined;
  for (const base of ["adapters/", ""]) {
    const weights = `${base}adapters.safetensors`;
    const config = `${base}adapter_config.json`;
    const configIsPeft = hasPeftType(jsonValue(config));
    if (present.has(weights) && present.has(config) && !configIsPeft) {
      mlxAdapterDir ??= base.replace(/\/$/, "");
      continue;
    }
    if (present.has(weights) && !present.has(config)) {
      issues.push({
        file: config,
        message: "missing: MLX adapters need adapter_config.json next to adapters.safetensors",
      });
    } else if (
      present.has(config) &&
      !present.has(weights) &&
      // At the root, adapter_config.json may belong to another kind of model; only an adapter folder's is sure to be mlx-lm's.
      (base !== "" || (!configIsPeft && mlxAdapterDir === undefined && kinds.length === 0))
    ) {
      // mlx-lm's own checkpoints, in this very folder (a notebook's .ipynb_checkpoints/ says nothing about training).
      const checkpoints = inspection.excluded.some(
        (entry) => entry.rel.startsWith(base) && CHECKPOINT_NAME.test(entry.rel.slice(base.length)),
      );
      issues.push({
        file: weights,
        message: checkpoints
          ? "missing: only intermediate checkpoints (NNNNNNN_adapters.safetensors) exist; did training finish?"
          : "missing: adapter_config.json is there but the adapter weights are not",
      });
    }
  }
  if (mlxAdapterDir !== undefined) {
    kinds.push("mlx-lora");
  }

  return { kinds, mlxAdapterDir, shards, issues };
}
