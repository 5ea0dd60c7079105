import { dump } from "js-yaml";
import { KIND_LABELS } from "../runs/detect-artifact-kinds.js";
import { formatBytes } from "../util/format-bytes.js";
import { baseModelCitation } from "./base-model-citation.js";
import { cardTable } from "./card-table.js";
import { flattenValues } from "./flatten-values.js";
import type { ModelCardInput } from "./model-card-input.js";
import { renderUsage } from "./render-usage.js";
import { settingConflicts } from "./setting-conflicts.js";
import type { StageRankBreak } from "../validate/stage-rank-break.js";

function isAdapter(input: ModelCardInput): boolean {
  return input.kinds[0] === "mlx-lora" || input.kinds[0] === "peft";
}

function frontMatter(input: ModelCardInput): string[] {
  const adapter = isAdapter(input);
  const tags = ["olmo-security-pipeline", "security", "webauthn"];
  if (input.kinds.includes("mlx-lora") || input.libraryName === "mlx" || input.mlxFused === true) {
    tags.push("mlx");
  }
  if (adapter) {
    tags.push(input.peft?.dora ? "dora" : "lora");
  }
  if (input.kinds.includes("peft")) {
    tags.push("peft");
  }
  if (input.baseModel !== undefined) {
    tags.push(`base_model:${adapter ? "adapter" : "finetune"}:${input.baseModel}`);
  }
  const meta: Record<string, unknown> = {};
  if (input.baseModel !== undefined) {
    meta.base_model = input.baseModel;
    meta.base_model_relation = adapter ? "adapter" : "finetune";
  }
  meta.library_name = input.libraryName;
  meta.pipeline_tag = "text-generation";
  meta.license = input.license;
  const datasets = [...new Set([...(input.trainingData ? [input.trainingData.id] : []), ...(input.datasets ?? [])])];
  if (datasets.length > 0) {
    meta.datasets = datasets;
  }
  meta.tags = tags;
  if (input.modelIndex !== undefined && input.modelIndex.metrics.length > 0) {
    meta["model-index"] = [
      {
        name: input.repoId.split("/").pop() ?? input.repoId,
        results: [
          {
            task: { type: "text-generation", name: "Text generation" },
            dataset: {
              type: input.modelIndex.dataset.id,
              name: input.modelIndex.dataset.id,
              split: input.modelIndex.dataset.split,
            },
            metrics: input.modelIndex.metrics.map((metric) => ({
              type: metric.type,
              name: metric.name,
              value: metric.value,
            })),
          },
        ],
      },
    ];
  }
  return ["---", dump(meta, { lineWidth: -1, noRefs: true }).trimEnd(), "---", ""];
}

function intro(input: ModelCardInput): string[] {
  const what = input.peft
    ? `A ${input.peft.dora ? "DoRA" : "LoRA"} adapter (PEFT format, with the original MLX adapter under \`${input.mlxAdapterPath ?? "mlx"}/\`)`
    : input.kinds.map((kind) => KIND_LABELS[kind]).join(" and ");
  const base =
    input.baseModel === undefined
      ? "a base model that the run did not record"
      : `[${input.baseModel}](https://huggingface.co/${input.baseModel})`;
  const lines = [
    `# ${input.runName}`,
    "",
    `${what.charAt(0).toUpperCase()}${what.slice(1)} from the OLMo security analysis pipeline (WebAuthn security fine-tuning with MLX), for ${base}.`,
    "",
  ];
  if (input.trainingData !== undefined) {
    lines.push(
      `Trained on [${input.trainingData.id}](https://huggingface.co/datasets/${input.trainingData.id}), the training data of this run, published alongside it.`,
      "",
    );
  }
  return lines;
}

function details(input: ModelCardInput): string[] {
  const lines = ["## Model details", "", `- **Base model:** ${input.baseModel ?? "not recorded"}`];
  if (input.trainingBase !== undefined) {
    const precision =
      input.trainingBase.bits !== undefined
        ? `${input.trainingBase.bits}-bit quantized, per its config`
        : /(^|[-_])(q4|4bit|4-bit|int4)([-_]|$)/i.test(input.trainingBase.name)
          ? "4-bit quantized, as its name says"
          : /(^|[-_])(q8|8bit|8-bit|int8)([-_]|$)/i.test(input.trainingBase.name)
            ? "8-bit quantized, as its name says"
            : undefined;
    const trained = `\`${input.trainingBase.name}\`${precision === undefined ? "" : ` (${precision})`}. The run recorded this base, not ${input.baseModel ?? "a Hub model"}`;
    lines.push(
      isAdapter(input)
        ? `- **Trained on:** ${trained}; applied to ${input.baseModel === undefined ? "another base" : `the full-precision ${input.baseModel}`}, ` +
            "the adapter runs on different weights than it was trained with, so outputs can differ slightly from what the run measured."
        : `- **Trained from:** ${trained}; the fused weights were made from it, so apart from the fine-tuning they can differ slightly from ${input.baseModel ?? "the Hub model"}'s own.`,
    );
  }
  if (input.runTimestamp !== undefined) {
    lines.push(`- **Training run:** \`${input.runName}\` (${input.runTimestamp.replace("T", " ")})`);
  }
  const mlx = input.mlxAdapterConfig;
  const peft = input.peft;
  const facts: Array<[string, string | number | undefined]> = [
    ["Method", peft ? (peft.dora ? "DoRA" : "LoRA") : mlx?.fineTuneType],
    ["Rank (r)", peft?.r ?? mlx?.rank],
    ["lora_alpha (PEFT)", peft ? `${peft.alpha} (= MLX scale ${mlx?.scale ?? "?"} × r)` : undefined],
    ["MLX scale", peft ? undefined : mlx?.scale],
    ["Dropout", peft?.dropout ?? mlx?.dropout],
    ["Target modules", peft?.targetModules.join(", ")],
    ["Layers", peft ? (peft.layers === null ? "all adapted modules" : peft.layers.join(", ")) : undefined],
    ["Adapted layers (last N)", peft ? undefined : mlx?.numLayers],
  ];
  for (const [label, value] of facts) {
    if (value !== undefined) {
      lines.push(`- **${label}:** ${String(value)}`);
    }
  }
  lines.push(`- **License:** ${input.license}`, "");
  if (peft) {
    lines.push(
      "The PEFT weights are the MLX weights transposed bit for bit (MLX stores `lora_a` as [in, r] and `lora_b` as [r, out]; " +
        "PEFT stores [r, in] and [out, r]), and `lora_alpha = scale × r`, so both compute exactly the same update.",
      "",
    );
    if (peft.dora) {
      lines.push(
        "DoRA note: the magnitude vectors were initialised from the base weights the adapter was trained on; if training used a " +
          "quantized MLX base, the norms of the full-precision base differ slightly (as with QLoRA).",
        "",
      );
    }
  }
  return lines;
}

/** How the stages follow each other, as far as the adapters show it. */
function continuation(rankBreak: StageRankBreak | undefined): string {
  if (rankBreak === undefined) {
    return ", each continuing from the previous one's adapter.";
  }
  const { from, to } = rankBreak;
  return `. ${to.stage}'s adapter has rank ${to.rank} and ${from.stage}'s rank ${from.rank}, so ${to.stage} did not continue from ${from.stage}'s adapter.`;
}

/** The settings mlx-lm wrote into the published adapter's own config: what trained the published weights. */
function adapterSettings(input: ModelCardInput): ReadonlyArray<readonly [string, string]> {
  return isAdapter(input) ? (input.mlxAdapterConfig?.settings ?? []) : [];
}

/** "0.000001 (its adapter_config.json says 0.0002)" for a recorded value the training's own config contradicts. */
function marked(
  rows: Array<[string, string]>,
  conflicts: ReadonlyMap<string, string>,
  whose: string,
): Array<[string, string]> {
  return rows.map(([key, value]) => {
    const expected = conflicts.get(key);
    return [key, expected === undefined ? value : `${value} (${whose} adapter_config.json says ${expected})`];
  });
}

function stages(input: ModelCardInput): string[] {
  const list = input.stages ?? [];
  if (list.length < 2) {
    return [];
  }
  const last = list.at(-1)?.name ?? "";
  const lines = [
    "## Training stages",
    "",
    `This run was trained in ${list.length} stages (${list.map((stage) => stage.name).join(" → ")})${continuation(input.stageRankBreak)} ` +
      `This repo holds the result of the last stage (${last}); earlier stages are not published as models.`,
    "",
  ];
  for (const stage of list) {
    const params = flattenValues(stage.trainingParams).map(([key, value]): [string, string] => [
      `training_params.${key}`,
      value,
    ]);
    const rows = [
      ...marked(params, settingConflicts(stage.adapterSettings ?? [], params), "its"),
      ...flattenValues(stage.datasetStats).map(([key, value]): [string, string] => [`dataset_stats.${key}`, value]),
    ];
    lines.push(`### ${stage.name}`, "");
    if (rows.length === 0) {
      lines.push("The manifest recorded no parameters or dataset statistics for this stage.", "");
    } else {
      const checked = (stage.adapterSettings ?? []).length > 0;
      lines.push(
        `As recorded in run-manifest.json${checked ? `; a value that differs from what mlx-lm wrote into ${stage.name}'s own adapter_config.json is marked with that file's value` : ""}:`,
        "",
        ...cardTable(["setting", "value"], rows),
      );
    }
  }
  return lines;
}

/** "2025-10-15" from the run's timestamp, to tell a recorded date that is not the run's. */
function runDate(input: ModelCardInput): string | undefined {
  return input.runTimestamp?.slice(0, 10);
}

function training(input: ModelCardInput): string[] {
  const authority = adapterSettings(input);
  const configFile =
    input.mlxAdapterPath === undefined || input.mlxAdapterPath === ""
      ? "adapter_config.json"
      : `${input.mlxAdapterPath}/adapter_config.json`;
  const metadataFile = input.trainingMetadataFile ?? "training_metadata.json";
  const metadataRows = input.trainingMetadata === undefined ? [] : flattenValues(input.trainingMetadata);
  const conflicts = settingConflicts(authority, metadataRows);
  const date = runDate(input);
  const recorded: Array<[string, string, string]> = metadataRows.map(([key, value]) => {
    const expected = conflicts.get(key);
    const dated =
      /(^|\.)(timestamp|training_timestamp|date)$/.test(key) && date !== undefined && !value.startsWith(date);
    const note =
      expected !== undefined
        ? ` (the adapter's adapter_config.json says ${expected})`
        : dated
          ? ` (the run is dated ${date})`
          : "";
    return [key, `${value}${note}`, metadataFile];
  });
  for (const split of input.trainingData?.splits ?? []) {
    recorded.push([`${split.split} examples`, String(split.examples), "the published training data, counted"]);
  }
  if (authority.length === 0 && recorded.length === 0) {
    return [];
  }
  const lines = ["## Training details", ""];
  if (authority.length > 0) {
    lines.push(
      "### Settings that produced this adapter",
      "",
      `mlx-lm wrote these into the adapter's own \`adapter_config.json\` (published as \`${configFile}\`) when it started the training that produced the published weights:`,
      "",
      ...cardTable(
        ["setting", "value"],
        authority.map(([key, value]) => [key, value]),
      ),
    );
  }
  if (recorded.length > 0) {
    lines.push(
      authority.length > 0 ? "### Also recorded by the run" : "### Recorded by the run",
      "",
      authority.length > 0
        ? "As written in the run's other files, each with its source. Where one differs from the adapter's own config above, the config is what mlx-lm trained with:"
        : "As written in the run's files, each with its source:",
      "",
      ...cardTable(["setting", "value", "recorded in"], recorded),
    );
  }
  return lines;
}

function evaluation(input: ModelCardInput): string[] {
  const rows: Array<[string, string]> = [];
  for (const { stage, file, results } of input.evaluation ?? []) {
    const where = stage === undefined ? file : `${stage}: ${file}`;
    rows.push(
      ...flattenValues(results, { numbersOnly: true }).map(([key, value]): [string, string] => [
        `${where}: ${key}`,
        value,
      ]),
    );
  }
  if (rows.length === 0) {
    return [];
  }
  return [
    "## Evaluation",
    "",
    "Figures from the evaluation files the run wrote, unedited, named by stage and file:",
    "",
    ...cardTable(["metric", "value"], rows),
  ];
}

function versions(input: ModelCardInput): string[] {
  if (input.publishedRuns === undefined) {
    return [];
  }
  const lines = [
    "## Versions",
    "",
    `This repo holds one training run per version: this one is \`${input.runName}\`, also at the tag \`${input.runName}\`.`,
  ];
  if (input.publishedRuns.length > 0) {
    lines.push(
      "Other runs published here, each at its tag:",
      "",
      ...input.publishedRuns.map(
        (run) => `- [\`${run}\`](https://huggingface.co/${input.repoId}/tree/${encodeURIComponent(run)})`,
      ),
    );
  }
  lines.push("");
  return lines;
}

function files(input: ModelCardInput): string[] {
  return [
    "## Files",
    "",
    ...cardTable(
      ["file", "size"],
      input.files.map((file): [string, string] => [`\`${file.path}\``, formatBytes(file.size)]),
    ),
  ];
}

function limitations(hasEvaluation: boolean): string[] {
  const lines = ["## Limitations", ""];
  if (!hasEvaluation) {
    lines.push(
      "- This upload contains no evaluation results; measure the model on your own task before relying on it.",
    );
  }
  lines.push(
    "- It was fine-tuned for security analysis of WebAuthn code. Treat its findings as leads for a human reviewer, not as verdicts.",
    "",
  );
  return lines;
}

function frameworkVersions(input: ModelCardInput): string[] {
  const recorded = input.frameworkVersions ?? [];
  const lines = [
    "## Framework versions",
    "",
    `- process-artifacts ${input.toolVersion}: published this repo${input.peft === undefined ? "" : ", converted the MLX adapter to PEFT"} and wrote this card`,
  ];
  if (input.peft !== undefined) {
    lines.push(
      "- PEFT: `adapter_config.json` was written by process-artifacts, not by PEFT, with only the keys PEFT has read since 0.9.0 (so it has no `peft_version`)",
    );
  }
  for (const { name, version, source } of recorded) {
    lines.push(`- ${name} ${version} (recorded in ${source})`);
  }
  if (input.mlxAdapterPath !== undefined && !recorded.some((entry) => entry.name === "mlx-lm")) {
    lines.push("- mlx-lm: the run does not record which version trained the adapter");
  }
  return [...lines, ""];
}

function citation(input: ModelCardInput): string[] {
  const cited = baseModelCitation(input.baseModel);
  if (cited === undefined || input.baseModel === undefined) {
    return [];
  }
  return [
    "## Citation",
    "",
    `The base model, [${input.baseModel}](https://huggingface.co/${input.baseModel}), is described in ${cited.title}:`,
    "",
    "```bibtex",
    cited.bibtex,
    "```",
    "",
  ];
}

/**
 * Pure: README.md for the Hub. Only facts from the run and the config appear; a missing value is
 * left out rather than guessed. Front matter goes through a YAML library so quoting is always right.
 */
export function renderModelCard(input: ModelCardInput): string {
  const evaluationLines = evaluation(input);
  return [
    ...frontMatter(input),
    ...intro(input),
    ...details(input),
    ...renderUsage(input),
    ...training(input),
    ...stages(input),
    ...evaluationLines,
    ...versions(input),
    ...files(input),
    ...frameworkVersions(input),
    ...limitations(evaluationLines.length > 0),
    ...citation(input),
  ].join("\n");
}
