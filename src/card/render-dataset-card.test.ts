import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { observeFields } from "../validate/observe-fields.js";
import type { DatasetSplitSummary, FieldShape } from "../validate/validated-run.js";
import { renderDatasetCard, type DatasetCardInput } from "./render-dataset-card.js";

function split(name: DatasetSplitSummary["split"], examples: Array<Record<string, unknown>>): DatasetSplitSummary {
  const fields: Record<string, FieldShape> = {};
  const quality: Record<string, number> = {};
  const source: Record<string, number> = {};
  for (const example of examples) {
    observeFields(fields, example);
    const metadata = example.metadata as { quality?: string; source?: string } | undefined;
    if (metadata?.quality !== undefined) {
      quality[metadata.quality] = (quality[metadata.quality] ?? 0) + 1;
    }
    if (metadata?.source !== undefined) {
      source[metadata.source] = (source[metadata.source] ?? 0) + 1;
    }
  }
  return {
    split: name,
    pathInRepo: `${name}.jsonl`,
    size: 100,
    examples: examples.length,
    invalidLines: 0,
    quality,
    source,
    fields,
  };
}

const chat = (content: string, metadata?: Record<string, unknown>): Record<string, unknown> => ({
  messages: [
    { role: "user", content },
    { role: "assistant", content: `${content}!` },
  ],
  ...(metadata === undefined ? {} : { metadata }),
});

const input: DatasetCardInput = {
  datasetId: "alice/run-training-data",
  modelId: "alice/run",
  runName: "run",
  stage: "stage2",
  license: "apache-2.0",
  splits: [
    split("train", [chat("a", { quality: "high", source: "crossvul" }), chat("b", { quality: "low" })]),
    split("test", [chat("c")]),
  ],
  recordedStats: { train_count: 2, sources: ["crossvul", "cvefixes"] },
  toolVersion: "0.1.0",
};

function frontMatter(card: string): Record<string, unknown> {
  return load(/^---\n([\s\S]*?)\n---\n/.exec(card)?.[1] ?? "") as Record<string, unknown>;
}

describe("renderDatasetCard", () => {
  it("names the dataset and maps its files to splits in the front matter", () => {
    expect(frontMatter(renderDatasetCard(input))).toEqual({
      pretty_name: "Training data of run",
      license: "apache-2.0",
      task_categories: ["text-generation"],
      tags: ["olmo-security-pipeline", "security", "webauthn"],
      size_categories: ["n<1K"],
      configs: [
        {
          config_name: "default",
          data_files: [
            { split: "train", path: "train.jsonl" },
            { split: "test", path: "test.jsonl" },
          ],
        },
      ],
    });
  });

  it("describes the examples' structure as counted over every split, with no content", () => {
    const card = renderDatasetCard(input);
    expect(card).toContain("## Dataset Structure");
    expect(card).toContain("| `messages` | list of objects | 3 of 3 examples |");
    expect(card).toContain("| `messages[].role` | string: assistant, user | 6 of 6 items |");
    expect(card).toContain("| `messages[].content` | string | 6 of 6 items |");
    expect(card).toContain("| `metadata` | object | 2 of 3 examples |");
    expect(card).toContain("| `metadata.quality` | string | 2 of 3 examples |");
    expect(card).toContain("| `metadata.source` | string | 1 of 3 examples |");
    expect(card).not.toMatch(/\| [abc]!? \|/);
  });

  it("says where the records come from, as the run records it", () => {
    const card = renderDatasetCard(input);
    expect(card).toContain("| train: crossvul | 1 of 2 |");
    expect(card).toContain("| train: (no source recorded) | 1 of 2 |");
    expect(card).toContain("As run-manifest.json records them for stage2:");
    expect(card).toContain("| sources | crossvul, cvefixes |");
    const bare = renderDatasetCard({
      ...input,
      recordedStats: undefined,
      splits: [split("train", [chat("a")])],
    });
    expect(bare).toContain("The run does not record where the examples come from");
  });

  it("has a note on sensitive content and links back to the model", () => {
    const card = renderDatasetCard(input);
    expect(card).toContain("## Personal and sensitive information");
    expect(card).toContain("Hugging Face token, AWS access key id");
    expect(card).toContain("The model trained on it: [alice/run](https://huggingface.co/alice/run).");
    expect(card).toContain('data = load_dataset("alice/run-training-data")');
  });
});
