import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeFusedRun, writeMlxRun } from "./make-run.js";

async function put(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

export interface StagedRunOptions {
  /** "2.0": the run manager of the two-stage pipeline; "1.0": run_metadata + stage2.final_model_path. */
  version?: "2.0" | "1.0";
  /** Stage 2 still training: only a checkpoint, no adapters.safetensors. */
  stage2Training?: boolean;
  /** Put a complete fused model in the final model folder. */
  fusedFinalModel?: boolean;
  /** JSONL splits in each stage's training-data folder (default: train/valid/test with 3/2/2 lines). */
  splits?: Record<string, string> | null;
  /** Evaluation results per stage. */
  evaluation?: boolean;
  /** Each stage's LoRA rank (default 8 for both). */
  ranks?: { stage1?: number; stage2?: number };
  /** Replace manifest fields (to point paths outside the run, say). */
  manifest?: (manifest: Record<string, unknown>) => Record<string, unknown>;
  seed?: number;
}

export function jsonl(lines: unknown[]): string {
  return `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`;
}

export const DEFAULT_SPLITS: Record<string, string> = {
  "train.jsonl": jsonl([
    { messages: [{ role: "user", content: "a" }], metadata: { quality: "high", source: "crossvul" } },
    { messages: [{ role: "user", content: "b" }], metadata: { quality: "high", source: "webauthn" } },
    { messages: [{ role: "user", content: "c" }], metadata: { quality: "low", source: "webauthn" } },
  ]),
  "valid.jsonl": jsonl([
    { messages: [{ role: "user", content: "d" }] },
    { messages: [{ role: "user", content: "e" }] },
  ]),
  "test.jsonl": jsonl([
    { messages: [{ role: "user", content: "f" }], metadata: { quality: "high" } },
    { messages: [{ role: "user", content: "g" }], metadata: { quality: "high" } },
  ]),
};

const STAGE1_SPLITS: Record<string, string> = {
  "train.jsonl": jsonl([
    { messages: [{ role: "user", content: "s1-a" }], metadata: { quality: "high", source: "crossvul" } },
    { messages: [{ role: "user", content: "s1-b" }], metadata: { quality: "medium", source: "cvefixes" } },
  ]),
  "valid.jsonl": jsonl([{ messages: [{ role: "user", content: "s1-c" }] }]),
  "test.jsonl": jsonl([{ messages: [{ role: "user", content: "s1-d" }] }]),
};

/**
 * A run as the pipeline's run manager writes it: run-manifest.json, stage1/ and stage2/ with
 * adapters, training-data and evaluation, and final-model/ (empty unless `fusedFinalModel`).
 */
export async function writeStagedRun(modelsDir: string, name: string, options: StagedRunOptions = {}): Promise<string> {
  const run = path.join(modelsDir, name);
  const seed = options.seed ?? 11;
  for (const stage of ["stage1", "stage2"]) {
    // writeMlxRun lays out <dir>/adapters/…; a stage's adapters folder is <run>/<stage>/adapters.
    await writeMlxRun(path.join(run), stage, {
      seed: stage === "stage1" ? seed : seed + 1,
      rank: options.ranks?.[stage as "stage1" | "stage2"] ?? 8,
    });
    await import("node:fs/promises").then((fs) =>
      fs.rename(
        path.join(run, stage, "training_metadata.json"),
        path.join(run, stage, "adapters", "training_metadata.json"),
      ),
    );
    if (options.splits !== null) {
      // Stage 1 trains on general security data, stage 2 on the WebAuthn data: never the same bytes.
      const splits = options.splits ?? (stage === "stage2" ? DEFAULT_SPLITS : STAGE1_SPLITS);
      for (const [file, content] of Object.entries(splits)) {
        await put(path.join(run, stage, "training-data", file), content);
      }
    }
    if (options.evaluation) {
      await put(
        path.join(run, stage, "evaluation", "evaluation_results.json"),
        JSON.stringify({
          model_path: `/Users/trainer/shared-olmo-models/fine-tuned/${name}/${stage}/adapters`,
          test_dataset: "/Users/trainer/mpo-api-authn-server/security-ai-analysis/results/stage2_data/test.jsonl",
          total_examples: 2,
          exact_matches: 1,
          codebleu_scores: [0.25, 0.5],
          detailed_results: [{ example_id: 1, exact_match: true, codebleu: 0.25 }],
          metrics: {
            exact_match_accuracy: 0.5,
            exact_match_percentage: stage === "stage2" ? 50 : 25,
            avg_codebleu: 0.375,
            min_codebleu: 0.25,
            max_codebleu: 0.5,
          },
        }),
      );
    }
  }
  if (options.stage2Training) {
    const adapters = path.join(run, "stage2", "adapters");
    await import("node:fs/promises").then(async (fs) => {
      await fs.rename(path.join(adapters, "adapters.safetensors"), path.join(adapters, "0000200_adapters.safetensors"));
      await fs.rm(path.join(adapters, "training_metadata.json"));
    });
  }
  const finalModel =
    options.version === "1.0" ? path.join(run, "stage2", "final-model") : path.join(run, "final-model");
  await mkdir(finalModel, { recursive: true });
  if (options.fusedFinalModel) {
    await writeFusedRun(finalModel);
  }
  const stage = (n: number): Record<string, unknown> => ({
    adapters_path: `./stage${n}/adapters`,
    training_data_path: `./stage${n}/training-data`,
    evaluation_results_path: `./stage${n}/evaluation`,
    training_params: n === 1 ? { learning_rate: 5e-6, iters: 800 } : { learning_rate: 1e-6, iters: 1200 },
    dataset_stats:
      n === 1
        ? { train_count: 3, val_count: 2, test_count: 2, sources: ["crossvul", "cvefixes"] }
        : { train_count: 3, val_count: 2, test_count: 2, webauthn_examples: 2, stage1_replay_examples: 1 },
  });
  const manifest: Record<string, unknown> =
    options.version === "1.0"
      ? {
          run_metadata: {
            run_id: name,
            timestamp: "2025-09-29T12:00:00",
            base_model: "OLMo-2-1B-Instruct-mlx-q4",
            training_type: "sequential_fine_tuning",
          },
          stage1: {
            adapters_path: "./stage1/adapters",
            merged_model_path: "./stage1/merged-model",
            training_data_path: "./stage1/training-data/train.jsonl",
          },
          stage2: {
            adapters_path: "./stage2/adapters",
            final_model_path: "./stage2/final-model",
            training_data_path: "./stage2/training-data/train.jsonl",
          },
        }
      : {
          version: "2.0",
          run_id: name,
          timestamp: "2025-10-15T12:00:00.123456",
          base_model: "OLMo-2-1B-Instruct-mlx-q4",
          pipeline_type: "sequential",
          final_model_path: "./final-model",
          stage1: stage(1),
          stage2: stage(2),
        };
  await put(path.join(run, "run-manifest.json"), JSON.stringify(options.manifest?.(manifest) ?? manifest, null, 2));
  return run;
}
