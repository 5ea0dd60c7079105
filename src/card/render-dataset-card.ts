import { dump } from "js-yaml";
import type { DatasetSplitSummary } from "../validate/validated-run.js";
import { formatBytes } from "../util/format-bytes.js";
import { cardTable } from "./card-table.js";
import { compareStrings } from "../util/compare-strings.js";

export interface DatasetCardInput {
  datasetId: string;
  /** The model repo trained on this data. */
  modelId: string;
  runName: string;
  /** The stage whose data this is, for runs trained in stages. */
  stage: string | undefined;
  license: string;
  splits: readonly DatasetSplitSummary[];
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

/**
 * Pure: README.md of the dataset repo. The front matter maps each file to its split (`configs`),
 * so the dataset viewer and `load_dataset` see train/validation/test; every number is counted from
 * the files themselves.
 */
export function renderDatasetCard(input: DatasetCardInput): string {
  const total = input.splits.reduce((sum, split) => sum + split.examples, 0);
  const meta = {
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
  const lines = [
    "---",
    dump(meta, { lineWidth: -1, noRefs: true }).trimEnd(),
    "---",
    "",
    `# ${input.datasetId.split("/").pop() ?? input.datasetId}`,
    "",
    `The training data of [${input.modelId}](https://huggingface.co/${input.modelId}), exactly as ${from} used it (JSONL, one example per line).`,
    "",
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
  const quality = distribution("Quality", input.splits, "quality");
  const source = distribution("Sources", input.splits, "source");
  if (quality.length > 0 || source.length > 0) {
    lines.push("## Composition", "", ...quality, ...source);
  }
  lines.push(
    "## How to use",
    "",
    "```python",
    "from datasets import load_dataset",
    "",
    `data = load_dataset("${input.datasetId}")`,
    "```",
    "",
    `_Uploaded with process-artifacts ${input.toolVersion}._`,
    "",
  );
  return lines.join("\n");
}
