import { dump } from "js-yaml";
import { SECRET_KINDS } from "../secrets/secret-kinds.js";
import type { DatasetSplitSummary, FieldShape } from "../validate/validated-run.js";
import { formatBytes } from "../util/format-bytes.js";
import { cardTable } from "./card-table.js";
import { compareStrings } from "../util/compare-strings.js";
import { flattenValues } from "./flatten-values.js";

export interface DatasetCardInput {
  datasetId: string;
  /** The model repo trained on this data. */
  modelId: string;
  runName: string;
  /** The stage whose data this is, for runs trained in stages. */
  stage: string | undefined;
  license: string;
  splits: readonly DatasetSplitSummary[];
  /** What the run manifest records about this stage's data (`dataset_stats`), already sanitized. */
  recordedStats?: Record<string, unknown> | undefined;
  toolVersion: string;
}

/** The Hub's size_categories buckets. */
function sizeCategory(examples: number): string {
  const buckets: Array<[number, string]> = [
    [1_000, "n<1K"],
    [10_000, "1K<n<10K"],
    [100_000, "10K<n<100K"],
    [1_000_000, "100K<n<1M"],
    [10_000_000, "1M<n<10M"],
  ];
  return buckets.find(([limit]) => examples < limit)?.[1] ?? "n>10M";
}

function distribution(title: string, splits: readonly DatasetSplitSummary[], key: "quality" | "source"): string[] {
  const rows: Array<[string, string]> = [];
  for (const split of splits) {
    const counted = Object.entries(split[key]).sort(([a], [b]) => compareStrings(a, b));
    const labelled = counted.reduce((sum, [, count]) => sum + count, 0);
    for (const [label, count] of counted) {
      rows.push([`${split.split}: ${label}`, `${count} of ${split.examples}`]);
    }
    if (counted.length > 0 && labelled < split.examples) {
      rows.push([`${split.split}: (no ${key} recorded)`, `${split.examples - labelled} of ${split.examples}`]);
    }
  }
  return rows.length === 0
    ? []
    : [
        `### ${title}`,
        "",
        `Counted from \`metadata.${key}\` of each example:`,
        "",
        ...cardTable([key, "examples"], rows),
      ];
}

/** The shapes of one field across all splits, added up. */
function merge(a: FieldShape | undefined, b: FieldShape): FieldShape {
  if (a === undefined) {
    return b;
  }
  const fields: Record<string, FieldShape> = { ...a.fields };
  for (const [key, shape] of Object.entries(b.fields ?? {})) {
    fields[key] = merge(fields[key], shape);
  }
  const values =
    a.values === undefined || b.values === undefined
      ? (a.values ?? b.values)
      : a.values.length === 0 || b.values.length === 0
        ? []
        : [...new Set([...a.values, ...b.values])];
  return {
    count: a.count + b.count,
    types: [...new Set([...a.types, ...b.types])].sort(),
    ...(a.items === undefined && b.items === undefined ? {} : { items: (a.items ?? 0) + (b.items ?? 0) }),
    ...(a.fields === undefined && b.fields === undefined ? {} : { fields }),
    ...(values === undefined ? {} : { values }),
  };
}

/** "list of objects", "string: assistant, user", "integer or string". */
function describeType(shape: FieldShape): string {
  const types = shape.types
    .map((type) => (type === "list" && shape.fields !== undefined ? "list of objects" : type))
    .join(" or ");
  const values = shape.values !== undefined && shape.values.length > 0 ? [...shape.values].sort(compareStrings) : [];
  return values.length > 0 ? `${types}: ${values.join(", ")}` : types;
}

/** The Dataset Structure table: each field, its types, and in how many examples (or list items) it is. */
function structure(splits: readonly DatasetSplitSummary[]): string[] {
  const examples = splits.reduce((sum, split) => sum + split.examples, 0);
  let fields: Record<string, FieldShape> = {};
  for (const split of splits) {
    for (const [key, shape] of Object.entries(split.fields)) {
      fields = { ...fields, [key]: merge(fields[key], shape) };
    }
  }
  const rows: Array<[string, string, string]> = [];
  for (const [key, shape] of Object.entries(fields)) {
    rows.push([`\`${key}\``, describeType(shape), `${shape.count} of ${examples} examples`]);
    const list = shape.types.includes("list") && shape.items !== undefined;
    for (const [child, inner] of Object.entries(shape.fields ?? {})) {
      rows.push(
        list
          ? [`\`${key}[].${child}\``, describeType(inner), `${inner.count} of ${shape.items ?? 0} items`]
          : [`\`${key}.${child}\``, describeType(inner), `${inner.count} of ${examples} examples`],
      );
    }
  }
  if (rows.length === 0) {
    return [];
  }
  return [
    "## Dataset Structure",
    "",
    `Each line of the JSONL files is one example: a JSON object. Its fields, counted over all ${examples} examples:`,
    "",
    ...cardTable(["field", "type", "present in"], rows),
  ];
}

function sourceData(input: DatasetCardInput, from: string): string[] {
  const sources = distribution("Sources", input.splits, "source");
  const recorded = input.recordedStats === undefined ? [] : flattenValues(input.recordedStats);
  const lines = ["## Source data", ""];
  if (sources.length === 0 && recorded.length === 0) {
    return [...lines, `The run does not record where the examples come from; they are the data ${from} used.`, ""];
  }
  lines.push(`Where the examples come from, as the run records it:`, "", ...sources);
  if (recorded.length > 0) {
    lines.push(
      "### Dataset statistics the run manifest records",
      "",
      `As run-manifest.json records them for ${input.stage ?? "this data"}:`,
      "",
      ...cardTable(["statistic", "value"], recorded),
    );
  }
  return lines;
}

function sensitive(): string[] {
  const kinds = [...new Set(SECRET_KINDS.map((kind) => kind.kind))];
  return [
    "## Personal and sensitive information",
    "",
    "The examples are about security weaknesses in code, so they can hold vulnerable code and descriptions of how it can be attacked.",
    "",
    `Before the upload, process-artifacts scanned every file for credentials (${kinds.join(", ")}) and would not have published ` +
      "one that held any. It does not look for personal information (names, e-mail addresses in code or commit messages); " +
      "the data was not reviewed for it by this tool.",
    "",
  ];
}

/**
 * Pure: README.md of the dataset repo. The front matter maps each file to its split (`configs`),
 * so the dataset viewer and `load_dataset` see train/validation/test; every number is counted from
 * the files themselves, and where the data comes from is what the run records, never a guess.
 */
export function renderDatasetCard(input: DatasetCardInput): string {
  const total = input.splits.reduce((sum, split) => sum + split.examples, 0);
  const prettyName = `Training data of ${input.runName}`;
  const meta = {
    pretty_name: prettyName,
    license: input.license,
    task_categories: ["text-generation"],
    tags: ["olmo-security-pipeline", "security", "webauthn"],
    size_categories: [sizeCategory(total)],
    configs: [
      {
        config_name: "default",
        data_files: input.splits.map((split) => ({ split: split.split, path: split.pathInRepo })),
      },
    ],
  };
  const from =
    input.stage === undefined
      ? `training run \`${input.runName}\``
      : `${input.stage} of training run \`${input.runName}\``;
  const model = `[${input.modelId}](https://huggingface.co/${input.modelId})`;
  const lines = [
    "---",
    dump(meta, { lineWidth: -1, noRefs: true }).trimEnd(),
    "---",
    "",
    `# ${prettyName}`,
    "",
    `The training data of ${model}, exactly as ${from} used it (JSONL, one example per line).`,
    "",
    ...structure(input.splits),
    "## Splits",
    "",
    ...cardTable(
      ["split", "examples"],
      input.splits.map((split): [string, string] => [
        `${split.split} (\`${split.pathInRepo}\`, ${formatBytes(split.size)})`,
        String(split.examples),
      ]),
    ),
  ];
  for (const split of input.splits.filter((entry) => entry.invalidLines > 0)) {
    lines.push(`Note: ${split.pathInRepo} also has ${split.invalidLines} line(s) that are not JSON objects.`, "");
  }
  lines.push(...sourceData(input, from));
  const quality = distribution("Quality", input.splits, "quality");
  if (quality.length > 0) {
    lines.push("## Composition", "", ...quality);
  }
  lines.push(
    ...sensitive(),
    "## How to use",
    "",
    "```python",
    "from datasets import load_dataset",
    "",
    `data = load_dataset("${input.datasetId}")`,
    "```",
    "",
    `The model trained on it: ${model}.`,
    "",
    `_Published with process-artifacts ${input.toolVersion}._`,
    "",
  );
  return lines.join("\n");
}
