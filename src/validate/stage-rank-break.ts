/** Two consecutive stages whose adapters have different ranks: the later cannot have continued from the earlier. */
export interface StageRankBreak {
  from: { stage: string; rank: number };
  to: { stage: string; rank: number };
}

/**
 * Pure: the first pair of consecutive stages (in training order) whose adapter ranks differ, or
 * undefined. A LoRA adapter's matrices are shaped by its rank, so training that resumes from an
 * adapter keeps it: a stage with another rank started afresh, whatever the pipeline meant. Stages
 * whose rank is unknown are left out rather than guessed.
 */
export function stageRankBreak(
  stages: ReadonlyArray<{ stage: string; rank: number | undefined }>,
): StageRankBreak | undefined {
  const known = stages.filter((entry): entry is { stage: string; rank: number } => entry.rank !== undefined);
  for (let i = 1; i < known.length; i++) {
    const [from, to] = [known[i - 1], known[i]];
    if (from !== undefined && to !== undefined && from.rank !== to.rank) {
      return { from, to };
    }
  }
  return undefined;
}
