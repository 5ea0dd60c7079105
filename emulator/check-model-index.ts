const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Pure: the problem with a card's `model-index` (the Hub's evaluation-results schema), if any: a list
 * of `{name, results}`, each result `{task: {type}, dataset: {type, name}, metrics: [{type, value}]}`.
 */
export function checkModelIndex(value: unknown): string | undefined {
  if (!Array.isArray(value)) {
    return `"model-index" must be a list of {name, results}, got ${JSON.stringify(value)}`;
  }
  for (const [i, entry] of value.entries()) {
    if (!isObject(entry) || typeof entry.name !== "string" || !Array.isArray(entry.results)) {
      return `"model-index"[${i}] must be {name: string, results: list}`;
    }
    for (const [j, result] of entry.results.entries()) {
      const where = `"model-index"[${i}].results[${j}]`;
      if (!isObject(result) || !isObject(result.task) || typeof result.task.type !== "string") {
        return `${where} needs a task with a "type"`;
      }
      if (
        !isObject(result.dataset) ||
        typeof result.dataset.type !== "string" ||
        typeof result.dataset.name !== "string"
      ) {
        return `${where} needs a dataset with a "type" and a "name"`;
      }
      if (
        !Array.isArray(result.metrics) ||
        !result.metrics.every((m) => isObject(m) && typeof m.type === "string" && m.value !== undefined)
      ) {
        return `${where} needs metrics, each with a "type" and a "value"`;
      }
    }
  }
  return undefined;
}
