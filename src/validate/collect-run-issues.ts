import type { RunIssue } from "../errors.js";
import { mlxAdapterFiles } from "../runs/mlx-adapter-files.js";
import { compareStrings } from "../util/compare-strings.js";
import { isPlainObject } from "../util/is-plain-object.js";
import { hasChatTemplate } from "../runs/has-chat-template.js";
import { checkRepoPath } from "./check-repo-path.js";
import { SHARD_INDEX, SHARD_NAME, type DetectedArtifacts } from "../runs/detect-artifact-kinds.js";
import type { RunInspection } from "../runs/inspect-run.js";

export const EXPECTED_LAYOUT =
  "expected MLX LoRA adapters (adapters/adapters.safetensors + adapters/adapter_config.json), " +
  "a fused model (config.json + model.safetensors, or model-0000N-of-0000M.safetensors shards + " +
  "model.safetensors.index.json), or a PEFT adapter (adapter_model.safetensors + adapter_config.json with peft_type)";

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

/** Hub storage limits (hub-docs storage-limits.md). */
const HUB_FILE_HARD_LIMIT = 500 * 1000 ** 3;
const HUB_FILE_SOFT_LIMIT = 200 * 1000 ** 3;
const HUB_MAX_FILES = 100_000;
const HUB_MAX_FILES_PER_FOLDER = 10_000;
const SAFETENSORS_FORMATS = new Set(["pt", "tf", "flax", "mlx"]);
/** Weight formats; .safetensors files are checked more closely by the header reader. */
const WEIGHT_FILE = /\.(bin|pt|pth|ckpt|gguf|npz|h5|msgpack|onnx)$/i;

function fusedIssues(inspection: RunInspection, detected: DetectedArtifacts, warnings: string[]): RunIssue[] {
  const issues: RunIssue[] = [];
  const present = new Set(inspection.files.map((file) => file.rel));
  const config = inspection.json.get("config.json");
  if (config?.ok) {
    if (!isPlainObject(config.value)) {
      issues.push({ file: "config.json", message: "must be a JSON object" });
    } else {
      if (typeof config.value.model_type !== "string" || config.value.model_type === "") {
        issues.push({
          file: "config.json",
          message: "has no model_type, so no library can tell which architecture to build",
        });
      }
      const architectures = config.value.architectures;
      if (!Array.isArray(architectures) || architectures.length === 0) {
        warnings.push("config.json has no architectures list; transformers and Hub inference need it");
      }
    }
  }
  const tokenizerModel =
    present.has("tokenizer.json") ||
    present.has("tokenizer.model") ||
    (present.has("vocab.json") && present.has("merges.txt")) ||
    present.has("vocab.txt");
  if (!present.has("tokenizer_config.json") || !tokenizerModel) {
    const missing = [
      ...(present.has("tokenizer_config.json") ? [] : ["tokenizer_config.json"]),
      ...(tokenizerModel ? [] : ["one of tokenizer.json, tokenizer.model, vocab.json + merges.txt, vocab.txt"]),
    ];
    issues.push({ file: "", message: `fused model without a complete tokenizer: missing ${missing.join(" and ")}` });
  } else {
    if (!hasChatTemplate(inspection)) {
      warnings.push(
        "the tokenizer has no chat template (chat_template in tokenizer_config.json or chat_template.jinja)",
      );
    }
  }
  const weightFiles = detected.shards.length > 0 ? detected.shards : ["model.safetensors"];
  for (const file of weightFiles) {
    const header = inspection.safetensors.get(file);
    if (!header?.ok) {
      continue;
    }
    const format = header.value.metadata?.format;
    if (format === undefined) {
      warnings.push(`${file} has no __metadata__.format; some transformers versions refuse to load such files`);
    } else if (!SAFETENSORS_FORMATS.has(format)) {
      issues.push({ file, message: `__metadata__.format is "${format}"; loaders accept only pt, tf, flax or mlx` });
    }
  }
  return issues;
}

function hubLimitIssues(inspection: RunInspection, warnings: string[]): RunIssue[] {
  const issues: RunIssue[] = [];
  for (const file of inspection.files) {
    if (file.size > HUB_FILE_HARD_LIMIT) {
      issues.push({ file: file.rel, message: `is ${file.size} bytes; the Hub refuses files over 500 GB` });
    } else if (file.size > HUB_FILE_SOFT_LIMIT) {
      warnings.push(`${file.rel} is over 200 GB, the Hub's recommended maximum; consider sharding it`);
    }
  }
  if (inspection.files.length > HUB_MAX_FILES) {
    issues.push({
      file: "",
      message: `has ${inspection.files.length} files; a Hub repo holds at most ${HUB_MAX_FILES}`,
    });
  }
  const perFolder = new Map<string, number>();
  for (const file of inspection.files) {
    const folder = file.rel.includes("/") ? file.rel.slice(0, file.rel.lastIndexOf("/")) : "";
    perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
  }
  for (const [folder, count] of perFolder) {
    if (count > HUB_MAX_FILES_PER_FOLDER) {
      warnings.push(
        `${folder || "the run folder"} holds ${count} files; the Hub recommends at most ${HUB_MAX_FILES_PER_FOLDER} per folder`,
      );
    }
  }
  return issues;
}

/**
 * Pure: every problem with a run, so the user can fix them in one round (structure first, then
 * per-file problems sorted by file), plus warnings that do not stop the upload.
 */
export function collectRunIssues(
  inspection: RunInspection,
  detected: DetectedArtifacts,
): { issues: RunIssue[]; warnings: string[] } {
  const issues: RunIssue[] = [];
  const warnings: string[] = [];
  // A folder that could not be read may hold the model: say that, not that there is none.
  if (detected.kinds.length === 0 && inspection.unreadableFolders.length === 0) {
    issues.push({ file: "", message: `no model artifacts found: ${EXPECTED_LAYOUT}` });
  }
  issues.push(...detected.issues, ...inspection.issues);
  if (detected.kinds.includes("fused")) {
    issues.push(...shardIssues(inspection, detected), ...fusedIssues(inspection, detected, warnings));
  }
  issues.push(...hubLimitIssues(inspection, warnings));
  for (const file of inspection.files) {
    if (file.size === 0 && WEIGHT_FILE.test(file.rel)) {
      issues.push({
        file: file.rel,
        message: "is empty: a weights file with no bytes means training or a copy failed",
      });
    }
    const problem = checkRepoPath(file.rel);
    if (problem !== undefined) {
      issues.push({ file: JSON.stringify(file.rel).slice(1, -1), message: `file name ${problem}` });
    }
  }
  const mlx = mlxAdapterFiles(detected);
  if (mlx !== undefined) {
    const config = inspection.json.get(mlx.config);
    if (config?.ok && !isPlainObject(config.value)) {
      issues.push({ file: mlx.config, message: "must be a JSON object" });
    }
  }
  const seen = new Set<string>();
  const unique = issues
    .filter((issue) => {
      const key = `${issue.file}\u0000${issue.message}`;
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.file === b.file ? 0 : a.file === "" ? -1 : b.file === "" ? 1 : compareStrings(a.file, b.file)));
  return { issues: unique, warnings };
}
