/** Names the same setting goes by in the files a run holds (mlx-lm's config, the pipeline's records). */
const ALIASES: Readonly<Record<string, string>> = {
  num_iters: "iters",
  num_iterations: "iters",
  iterations: "iters",
  training_steps: "iters",
  max_steps: "iters",
  lr: "learning_rate",
  lora_layers: "num_layers",
};

/** "hyperparameters.num_iters" → "iters": what a recorded key is about, whatever file and nesting it has. */
function settingName(key: string): string {
  const leaf = (key.split(".").pop() ?? key).toLowerCase();
  return ALIASES[leaf] ?? leaf;
}

function sameValue(a: string, b: string): boolean {
  const x = Number(a);
  const y = Number(b);
  return a.trim() !== "" && b.trim() !== "" && Number.isFinite(x) && Number.isFinite(y)
    ? x === y
    : a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Pure: which recorded `rows` disagree with the `authority` (the settings a framework wrote for the
 * training it ran), by row key, with the authority's value. Keys are matched by the setting they
 * name ("hyperparameters.num_iters" and "iters" are one setting), numbers by value (2e-4 = 0.0002).
 */
export function settingConflicts(
  authority: ReadonlyArray<readonly [string, string]>,
  rows: ReadonlyArray<readonly [string, string]>,
): Map<string, string> {
  const truth = new Map(authority.map(([key, value]) => [settingName(key), value]));
  const conflicts = new Map<string, string>();
  for (const [key, value] of rows) {
    const expected = truth.get(settingName(key));
    if (expected !== undefined && !sameValue(expected, value)) {
      conflicts.set(key, expected);
    }
  }
  return conflicts;
}
