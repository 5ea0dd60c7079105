/**
 * Regenerates the bundled example runs in examples/model-runs/ (committed, so `npm run demo` needs
 * no generation step). They are miniature MLX LoRA runs in mlx-lm's exact layout and header style,
 * with the local paths a real training machine leaves in its configs.
 *
 *   npx tsx scripts/make-example-run.ts [target-dir]
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeMlxRun } from "../tests/helpers/make-run.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.resolve(process.argv[2] ?? path.join(root, "examples", "model-runs"));
await rm(target, { recursive: true, force: true });
await writeMlxRun(target, "webauthn-security-sequential_20250925_100000", { seed: 11, hidden: 64, rank: 8 });
await writeMlxRun(target, "webauthn-security-sequential_20250926_120000", {
  seed: 12,
  hidden: 64,
  rank: 8,
  checkpoint: true,
});
process.stdout.write(`wrote example runs to ${target}\n`);
