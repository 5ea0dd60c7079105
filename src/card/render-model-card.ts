import { dump } from "js-yaml";
import { KIND_LABELS, type ArtifactKind } from "../runs/detect-artifact-kinds.js";
import { formatBytes } from "../output/format-bytes.js";

export interface ModelCardInput {
  /** Full repo id when known ("alice/run"), else just the run name. */
  repoId: string;
  runName: string;
  runTimestamp: string | undefined;
  /** What the repo holds, most important first ("peft" first when the MLX adapter was converted). */
  kinds: readonly ArtifactKind[];
  baseModel: string | undefined;
  license: string;
  libraryName: "mlx" | "peft" | "transformers";
  /** Folder of the MLX adapter files in the repo, when there are any ("" for the root). */
  mlxAdapterPath: string | undefined;
  /** The run's adapter_config.json (mlx-lm), already sanitized. */
  mlxAdapterConfig: Record<string, unknown> | undefined;
  /** The PEFT adapter we wrote, when the MLX adapter was converted. */
  peft?:
    | { r: number; alpha: number; dropout: number; targetModules: string[]; layers: number[] | null; dora: boolean }
    | undefined;
  /** The run's training_metadata.json, already sanitized. */
  trainingMetadata: Record<string, unknown> | undefined;
  /** Hub dataset ids the run names (local paths never appear here). */
  datasets?: string[];
  /** Evaluation result files found in the run. */
  evaluation?: Array<{ file: string; results: unknown }>;
  files: ReadonlyArray<{ path: string; size: number }>;
  toolVersion: string;
}

/** A scalar as text; objects and arrays have no single sensible text and give undefined. */
function scalarText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;
}

function flatten(value: unknown, prefix: string, out: Array<[string, string]>, numbersOnly = false): void {
  if (value === null || value === undefined) {
    return;
  }
  if (Array.isArray(value)) {
    const items = value.map(scalarText);
    if (!numbersOnly && items.every((item) => item !== undefined)) {
      out.push([prefix, items.join(", ")]);
    }
    return;
  }
  if (typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      flatten(child, prefix === "" ? key : `${prefix}.${key}`, out, numbersOnly);
    }
    return;
  }
  if (numbersOnly && typeof value !== "number") {
    return;
  }
  const text = scalarText(value);
  if (text !== undefined) {
    out.push([prefix, text]);
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function table(header: [string, string], rows: Array<[string, string]>): string[] {
  return [
    `| ${header[0]} | ${header[1]} |`,
    "|---|---|",
    ...rows.map(([a, b]) => `| ${escapeCell(a)} | ${escapeCell(b)} |`),
    "",
  ];
}

/**
 * Pure: README.md for the Hub. Only facts from the run and the config appear; a missing value is
 * left out rather than guessed. Front matter goes through a YAML library so quoting is always right.
 */
export function renderModelCard(input: ModelCardInput): string {
  const primary = input.kinds[0];
  const isAdapter = primary === "mlx-lora" || primary === "peft";
  const tags = ["olmo-security-pipeline", "security", "webauthn"];
  if (input.kinds.includes("mlx-lora") || input.libraryName === "mlx") {
    tags.push("mlx");
  }
  if (isAdapter) {
    tags.push(input.peft?.dora ? "dora" : "lora");
  }
  if (input.kinds.includes("peft")) {
    tags.push("peft");
  }
  if (input.baseModel !== undefined) {
    tags.push(`base_model:${isAdapter ? "adapter" : "finetune"}:${input.baseModel}`);
  }

  const frontMatter: Record<string, unknown> = {};
  if (input.baseModel !== undefined) {
    frontMatter.base_model = input.baseModel;
    frontMatter.base_model_relation = isAdapter ? "adapter" : "finetune";
  }
  frontMatter.library_name = input.libraryName;
  frontMatter.pipeline_tag = "text-generation";
  frontMatter.license = input.license;
  if (input.datasets !== undefined && input.datasets.length > 0) {
    frontMatter.datasets = input.datasets;
  }
  frontMatter.tags = tags;

  const lines: string[] = [];
  lines.push("---", dump(frontMatter, { lineWidth: -1, noRefs: true }).trimEnd(), "---", "");
  lines.push(`# ${input.runName}`, "");
  const what = input.peft
    ? `A ${input.peft.dora ? "DoRA" : "LoRA"} adapter (PEFT format, with the original MLX adapter under \`${input.mlxAdapterPath ?? "mlx"}/\`)`
    : input.kinds.map((kind) => KIND_LABELS[kind]).join(" and ");
  const base =
    input.baseModel === undefined
      ? "a base model that the run did not record"
      : `[${input.baseModel}](https://huggingface.co/${input.baseModel})`;
  lines.push(
    `${what.charAt(0).toUpperCase()}${what.slice(1)} from the OLMo security analysis pipeline (WebAuthn security fine-tuning with MLX), for ${base}.`,
    "",
  );

  lines.push("## Model details", "");
  lines.push(`- **Base model:** ${input.baseModel ?? "not recorded"}`);
  if (input.runTimestamp !== undefined) {
    lines.push(`- **Training run:** \`${input.runName}\` (${input.runTimestamp.replace("T", " ")})`);
  }
  const mlx = input.mlxAdapterConfig;
  const params = (mlx?.lora_parameters ?? {}) as Record<string, unknown>;
  const facts: Array<[string, string | number | undefined]> = [
    [
      "Method",
      input.peft
        ? input.peft.dora
          ? "DoRA"
          : "LoRA"
        : (scalarText(mlx?.fine_tune_type) ?? (mlx?.use_dora === true ? "dora" : undefined)),
    ],
    ["Rank (r)", input.peft?.r ?? numberOrUndefined(params.rank)],
    [
      "lora_alpha (PEFT)",
      input.peft ? `${input.peft.alpha} (= MLX scale ${numberOrUndefined(params.scale) ?? "?"} × r)` : undefined,
    ],
    ["MLX scale", input.peft ? undefined : numberOrUndefined(params.scale)],
    ["Dropout", input.peft?.dropout ?? numberOrUndefined(params.dropout)],
    ["Target modules", input.peft?.targetModules.join(", ")],
    [
      "Layers",
      input.peft ? (input.peft.layers === null ? "all adapted modules" : input.peft.layers.join(", ")) : undefined,
    ],
    ["Adapted layers (last N)", input.peft ? undefined : numberOrUndefined(mlx?.num_layers ?? mlx?.lora_layers)],
  ];
  for (const [label, value] of facts) {
    if (value !== undefined) {
      lines.push(`- **${label}:** ${String(value)}`);
    }
  }
  lines.push(`- **License:** ${input.license}`, "");
  if (input.peft) {
    lines.push(
      "The PEFT weights are the MLX weights transposed bit for bit (MLX stores `lora_a` as [in, r] and `lora_b` as [r, out]; " +
        "PEFT stores [r, in] and [out, r]), and `lora_alpha = scale × r`, so both compute exactly the same update.",
      "",
    );
    if (input.peft.dora) {
      lines.push(
        "DoRA note: the magnitude vectors were initialised from the base weights the adapter was trained on; if training used a " +
          "quantized MLX base, the norms of the full-precision base differ slightly (as with QLoRA).",
        "",
      );
    }
  }

  const training: Array<[string, string]> = [];
  if (input.trainingMetadata !== undefined) {
    flatten(input.trainingMetadata, "", training);
  }
  if (mlx !== undefined) {
    for (const key of ["iters", "batch_size", "learning_rate", "optimizer", "max_seq_length", "seed"]) {
      const value = scalarText(mlx[key]);
      if (value !== undefined) {
        training.push([`mlx-lm ${key}`, value]);
      }
    }
  }
  if (training.length > 0) {
    lines.push(
      "## Training details",
      "",
      "As recorded by the training run (training_metadata.json, adapter_config.json):",
      "",
    );
    lines.push(...table(["setting", "value"], training));
  }

  const evaluation: Array<[string, string]> = [];
  for (const { file, results } of input.evaluation ?? []) {
    const rows: Array<[string, string]> = [];
    flatten(results, "", rows, true);
    evaluation.push(...rows.map(([key, value]): [string, string] => [`${file}: ${key}`, value]));
  }
  if (evaluation.length > 0) {
    lines.push("## Evaluation", "", "Numbers from the evaluation files in the run, unedited:", "");
    lines.push(...table(["metric", "value"], evaluation));
  }

  lines.push("## How to use", "");
  if (input.peft) {
    lines.push("With [PEFT](https://github.com/huggingface/peft) and transformers:", "", "```python");
    lines.push("from peft import AutoPeftModelForCausalLM");
    lines.push("from transformers import AutoTokenizer", "");
    lines.push(`model = AutoPeftModelForCausalLM.from_pretrained("${input.repoId}")`);
    lines.push(`tokenizer = AutoTokenizer.from_pretrained("${input.baseModel ?? "<base model>"}")`);
    lines.push("```", "");
  } else if (input.kinds.includes("peft")) {
    lines.push("With [PEFT](https://github.com/huggingface/peft):", "", "```python");
    lines.push("from peft import AutoPeftModelForCausalLM");
    lines.push(`model = AutoPeftModelForCausalLM.from_pretrained("${input.repoId}")`);
    lines.push("```", "");
  }
  if (input.mlxAdapterPath !== undefined) {
    const model = input.baseModel ?? "<base model>";
    const adapterPath = input.mlxAdapterPath === "" ? input.runName : `${input.runName}/${input.mlxAdapterPath}`;
    lines.push("With [mlx-lm](https://github.com/ml-explore/mlx-lm) on Apple silicon:", "", "```bash");
    lines.push("pip install mlx-lm huggingface_hub");
    lines.push(`hf download ${input.repoId} --local-dir ${input.runName}`);
    lines.push(
      `mlx_lm.generate --model ${model} --adapter-path ${adapterPath} --prompt "Review this WebAuthn handler for security issues: ..."`,
    );
    lines.push("```", "");
  }
  if (primary === "fused") {
    if (input.libraryName === "mlx") {
      lines.push("```bash", "pip install mlx-lm", `mlx_lm.generate --model ${input.repoId} --prompt "..."`, "```", "");
    } else {
      lines.push("```python", "from transformers import AutoModelForCausalLM, AutoTokenizer");
      lines.push(`model = AutoModelForCausalLM.from_pretrained("${input.repoId}")`);
      lines.push(`tokenizer = AutoTokenizer.from_pretrained("${input.repoId}")`, "```", "");
    }
  }

  lines.push("## Files", "");
  lines.push(
    ...table(
      ["file", "size"],
      input.files.map((file): [string, string] => [`\`${file.path}\``, formatBytes(file.size)]),
    ),
  );

  lines.push("## Limitations", "");
  if (evaluation.length === 0) {
    lines.push(
      "- This upload contains no evaluation results; measure the model on your own task before relying on it.",
    );
  }
  lines.push(
    "- It was fine-tuned for security analysis of WebAuthn code. Treat its findings as leads for a human reviewer, not as verdicts.",
  );
  lines.push("");
  lines.push(`_Uploaded with process-artifacts ${input.toolVersion}._`, "");
  return lines.join("\n");
}
