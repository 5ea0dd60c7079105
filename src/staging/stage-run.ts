import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderModelCard } from "../card/render-model-card.js";
import { StagingError } from "../errors.js";
import type { DetectedArtifacts } from "../runs/detect-artifact-kinds.js";
import type { RunFile, RunInspection } from "../runs/inspect-run.js";
import { sanitizeJson } from "./sanitize-json.js";

export interface StagedFile {
  /** POSIX path inside the Hub repo. */
  pathInRepo: string;
  /** Where the bytes are read from: the run itself, or the staging folder for generated files. */
  abs: string;
  size: number;
  origin: "run" | "sanitized" | "generated";
  /** The run file this came from, for cache keys; undefined for generated files. */
  source: RunFile | undefined;
}

export interface StagedRun {
  /** Temporary folder holding the generated files; removed by cleanup(). */
  dir: string;
  files: StagedFile[];
  /** What staging changed, e.g. "adapters/adapter_config.json: data: removed (machine-specific)". */
  notes: string[];
  cleanup(): Promise<void>;
}

/** Config and metadata files we rewrite to drop local paths. Tokenizer vocabularies are never touched. */
const SANITIZED_FILES = new Set([
  "adapter_config.json",
  "training_metadata.json",
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "training_args.json",
  "run-manifest.json",
]);

export interface StageRunParams {
  runName: string;
  runTimestamp: string | undefined;
  repoId: string;
  inspection: RunInspection;
  detected: DetectedArtifacts;
  baseModel: string | undefined;
  license: string;
  tmpDir: string;
  toolVersion: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Builds the upload set without touching the run: run files are referenced where they are, and
 * only files we change or generate (sanitized configs, the model card) are written, into a fresh
 * temp folder. The caller must call cleanup() in a finally block.
 */
export async function stageRun(params: StageRunParams): Promise<StagedRun> {
  const { inspection, detected } = params;
  let dir: string;
  try {
    dir = await mkdtemp(path.join(params.tmpDir, "process-artifacts-"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StagingError(`Cannot create a staging folder in ${params.tmpDir}: ${code ?? String(error)}`, {
      hint: "Set TMPDIR to a writable folder with free space",
      cause: error,
    });
  }
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });

  try {
    const files: StagedFile[] = [];
    const notes: string[] = [];
    const writeGenerated = async (rel: string, content: string): Promise<{ abs: string; size: number }> => {
      const abs = path.join(dir, ...rel.split("/"));
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
      return { abs, size: Buffer.byteLength(content) };
    };

    const sanitized = new Map<string, unknown>();
    for (const file of inspection.files) {
      if (file.rel === "README.md") {
        notes.push("README.md: replaced by the generated model card");
        continue;
      }
      const parsed = inspection.json.get(file.rel);
      const base = file.rel.split("/").pop() ?? "";
      if (parsed?.ok && SANITIZED_FILES.has(base)) {
        const { value, changes } = sanitizeJson(parsed.value, { baseModelHubId: params.baseModel });
        sanitized.set(file.rel, value);
        if (changes.length > 0) {
          const written = await writeGenerated(file.rel, `${JSON.stringify(value, null, 2)}\n`);
          files.push({ pathInRepo: file.rel, ...written, origin: "sanitized", source: file });
          notes.push(...changes.map((change) => `${file.rel}: ${change}`));
          continue;
        }
      }
      files.push({ pathInRepo: file.rel, abs: file.abs, size: file.size, origin: "run", source: file });
    }

    const mlxConfigRel =
      detected.mlxAdapterDir === undefined
        ? undefined
        : detected.mlxAdapterDir === ""
          ? "adapter_config.json"
          : `${detected.mlxAdapterDir}/adapter_config.json`;
    const fusedConfig = asRecord(sanitized.get("config.json"));
    const quantized =
      fusedConfig !== undefined && ("quantization" in fusedConfig || "quantization_config" in fusedConfig);
    const primary = detected.kinds[0];
    const card = renderModelCard({
      repoId: params.repoId,
      runName: params.runName,
      runTimestamp: params.runTimestamp,
      kinds: detected.kinds,
      baseModel: params.baseModel,
      license: params.license,
      libraryName: primary === "peft" ? "peft" : primary === "fused" && !quantized ? "transformers" : "mlx",
      mlxAdapterPath: detected.mlxAdapterDir,
      mlxAdapterConfig: mlxConfigRel === undefined ? undefined : asRecord(sanitized.get(mlxConfigRel)),
      trainingMetadata: asRecord(
        sanitized.get("training_metadata.json") ??
          (detected.mlxAdapterDir ? sanitized.get(`${detected.mlxAdapterDir}/training_metadata.json`) : undefined),
      ),
      files: files.map((file) => ({ path: file.pathInRepo, size: file.size })),
      toolVersion: params.toolVersion,
    });
    const readme = await writeGenerated("README.md", card);
    files.push({ pathInRepo: "README.md", ...readme, origin: "generated", source: undefined });
    files.sort((a, b) => (a.pathInRepo < b.pathInRepo ? -1 : a.pathInRepo > b.pathInRepo ? 1 : 0));
    return { dir, files, notes, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof StagingError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new StagingError(`Staging failed in ${dir}: ${code ?? (error as Error).message}`, {
      hint: code === "ENOSPC" ? "Free disk space or set TMPDIR to a folder with more room" : undefined,
      cause: error,
    });
  }
}
