import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { DatasetSplit } from "../runs/run-assessment.js";
import { isPlainObject } from "../util/is-plain-object.js";
import { observeFields } from "./observe-fields.js";
import type { DatasetSplitSummary } from "./validated-run.js";

function label(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;
}

/**
 * Reads one JSONL split line by line (any size, bounded memory) and counts what its card states:
 * examples, lines that are not JSON objects, the `metadata.quality` / `metadata.source` labels
 * the pipeline writes, and the examples' fields with their types. Nothing is estimated: a label is
 * counted only where a line carries it.
 */
export async function summarizeSplit(entry: DatasetSplit): Promise<DatasetSplitSummary> {
  const summary: DatasetSplitSummary = {
    split: entry.split,
    pathInRepo: entry.file.rel.split("/").pop() ?? entry.file.rel,
    size: entry.file.size,
    examples: 0,
    invalidLines: 0,
    quality: {},
    source: {},
    fields: {},
  };
  const lines = createInterface({ input: createReadStream(entry.file.abs), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") {
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      summary.invalidLines++;
      continue;
    }
    if (!isPlainObject(value)) {
      summary.invalidLines++;
      continue;
    }
    summary.examples++;
    observeFields(summary.fields, value);
    const metadata = isPlainObject(value.metadata) ? value.metadata : undefined;
    const quality = label(metadata?.quality);
    const source = label(metadata?.source);
    if (quality !== undefined) {
      summary.quality[quality] = (summary.quality[quality] ?? 0) + 1;
    }
    if (source !== undefined) {
      summary.source[source] = (summary.source[source] ?? 0) + 1;
    }
  }
  return summary;
}
