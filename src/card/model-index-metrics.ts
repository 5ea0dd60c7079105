import { isPlainObject } from "../util/is-plain-object.js";

/** The pipeline's evaluation metrics (evaluate_model.py) that have a standard Hub metric type. */
const KNOWN: ReadonlyArray<{ key: string; type: string; name: string }> = [
  { key: "exact_match_percentage", type: "exact_match", name: "Exact match (%)" },
  { key: "avg_codebleu", type: "codebleu", name: "CodeBLEU (mean)" },
];

/**
 * Pure: `model-index` metrics from one evaluation file, only where the mapping is clean: a known
 * metric name, a finite number, and a test set the size of the published test split (the pipeline
 * renames its test file when it copies it, so the count is the evidence). Anything less stays in the
 * card's table only.
 */
export function modelIndexMetrics(
  results: unknown,
  testSplit: { examples: number } | undefined,
): Array<{ type: string; name: string; value: number }> {
  if (!isPlainObject(results) || !isPlainObject(results.metrics) || testSplit === undefined) {
    return [];
  }
  if (results.total_examples !== testSplit.examples) {
    return [];
  }
  const metrics = results.metrics;
  return KNOWN.flatMap(({ key, type, name }) => {
    const value = metrics[key];
    return typeof value === "number" && Number.isFinite(value) ? [{ type, name, value }] : [];
  });
}
