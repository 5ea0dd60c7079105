import type { RunIssue } from "../errors.js";
import { SHARD_INDEX, SHARD_NAME, type DetectedArtifacts } from "./detect-artifact-kinds.js";
import type { RunInspection } from "./inspect-run.js";

export const EXPECTED_LAYOUT =
  "expected MLX LoRA adapters (adapters/adapters.safetensors + adapters/adapter_config.json), " +
  "a fused model (config.json + model.safetensors, or model-0000N-of-0000M.safetensors shards + " +
  "model.safetensors.index.json), or a PEFT adapter (adapter_model.safetensors + adapter_config.json with peft_type)";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function shardIssues(inspection: RunInspection, detected: DetectedArtifacts): RunIssue[] {
  const issues: RunIssue[] = [];
  const totals = new Set(detected.shards.map((name) => SHARD_NAME.exec(name)?.[2]));
  if (totals.size > 1) {
    issues.push({ file: "", message: `shards disagree on their total count: ${[...totals].join(", ")}` });
  } else if (detected.shards.length > 0) {
    const total = Number([...totals][0]);
    for (let i = 1; i <= total; i++) {
      const name = `model-${String(i).padStart(5, "0")}-of-${String(total).padStart(5, "0")}.safetensors`;
      if (!detected.shards.includes(name)) {
        issues.push({ file: name, message: `missing shard ${i} of ${total}` });
      }
    }
  }

  const parsedIndex = inspection.json.get(SHARD_INDEX);
  if (!parsedIndex?.ok) {
    return issues;
  }
  const weightMap = isPlainObject(parsedIndex.value) ? parsedIndex.value.weight_map : undefined;
  if (!isPlainObject(weightMap) || !Object.values(weightMap).every((v) => typeof v === "string")) {
    issues.push({
      file: SHARD_INDEX,
      message: "weight_map must be an object mapping tensor names to shard file names",
    });
    return issues;
  }
  const present = new Set(inspection.files.map((file) => file.rel));
  const referenced = new Set(Object.values(weightMap as Record<string, string>));
  for (const shard of referenced) {
    if (!present.has(shard)) {
      issues.push({ file: SHARD_INDEX, message: `weight_map names ${shard}, which does not exist` });
    }
  }
  const weightFiles =
    detected.shards.length > 0 ? detected.shards : present.has("model.safetensors") ? ["model.safetensors"] : [];
  for (const shard of weightFiles) {
    if (!referenced.has(shard)) {
      issues.push({ file: shard, message: `not listed in ${SHARD_INDEX}` });
    }
  }
  for (const shard of weightFiles) {
    const header = inspection.safetensors.get(shard);
    if (!header?.ok) {
      continue;
    }
    for (const tensor of header.value.tensors) {
      const mapped = (weightMap as Record<string, string>)[tensor.name];
      if (mapped === undefined) {
        issues.push({ file: shard, message: `tensor ${tensor.name} is not in ${SHARD_INDEX}` });
      } else if (mapped !== shard) {
        issues.push({ file: shard, message: `tensor ${tensor.name} is mapped to ${mapped} in ${SHARD_INDEX}` });
      }
    }
  }
  return issues;
}

/**
 * Pure: every problem with a run, so the user can fix them in one round. Order: structure first,
 * then per-file problems sorted by file.
 */
export function collectRunIssues(inspection: RunInspection, detected: DetectedArtifacts): RunIssue[] {
  const issues: RunIssue[] = [];
  if (detected.kinds.length === 0) {
    issues.push({ file: "", message: `no model artifacts found: ${EXPECTED_LAYOUT}` });
  }
  issues.push(...detected.issues, ...inspection.issues);
  if (detected.kinds.includes("fused")) {
    issues.push(...shardIssues(inspection, detected));
    const config = inspection.json.get("config.json");
    if (config?.ok && !isPlainObject(config.value)) {
      issues.push({ file: "config.json", message: "must be a JSON object" });
    }
  }
  if (detected.mlxAdapterDir !== undefined) {
    const rel = detected.mlxAdapterDir === "" ? "adapter_config.json" : `${detected.mlxAdapterDir}/adapter_config.json`;
    const config = inspection.json.get(rel);
    if (config?.ok && !isPlainObject(config.value)) {
      issues.push({ file: rel, message: "must be a JSON object" });
    }
  }
  const seen = new Set<string>();
  return issues
    .filter((issue) => {
      const key = `${issue.file}\u0000${issue.message}`;
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.file === b.file ? 0 : a.file === "" ? -1 : b.file === "" ? 1 : a.file < b.file ? -1 : 1));
}
