/**
 * Regenerates the bundled example runs in examples/model-runs/ (committed, so `npm run demo` needs
 * no generation step): miniature runs in the layouts the pipeline writes, with mlx-lm's exact file
 * layout and header style and the local paths a real training machine leaves in its configs.
 *
 * - webauthn-security-sequential_20250925_100000: a flat MLX LoRA run (the first tool's layout)
 * - webauthn-security-sequential-20251015_120000: a two-stage run of the run manager (v2.0), with
 *   its training data and evaluation results: the newest complete run, the one that is published
 * - webauthn-security-sequential-20251016_090000: a two-stage run still training (stage 2 has only a
 *   checkpoint): skipped with a warning
 *
 *   npx tsx scripts/make-example-run.ts [target-dir]
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeMlxRun } from "../tests/helpers/make-run.js";
import { writeStagedRun } from "../tests/helpers/make-staged-run.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.resolve(process.argv[2] ?? path.join(root, "examples", "model-runs"));
await rm(target, { recursive: true, force: true });
await writeMlxRun(target, "webauthn-security-sequential_20250925_100000", {
  seed: 11,
  hidden: 64,
  rank: 8,
  checkpoint: true,
});
await writeStagedRun(target, "webauthn-security-sequential-20251015_120000", { seed: 21, evaluation: true });
await writeStagedRun(target, "webauthn-security-sequential-20251016_090000", { seed: 31, stage2Training: true });
process.stdout.write(`wrote example runs to ${target}\n`);
