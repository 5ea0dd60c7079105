import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileKey } from "../cache/file-key.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import { renderModelCard, type ModelCardInput } from "../card/render-model-card.js";
import { convertMlxAdapter } from "../convert/convert-mlx-adapter.js";
import type { PeftPlan } from "../convert/plan-peft-conversion.js";
import { StagingError, type RunIssue } from "../errors.js";
import type { DetectedArtifacts } from "../runs/detect-artifact-kinds.js";
import type { RunFile, RunInspection } from "../runs/inspect-run.js";
import type { SafetensorsHeader } from "../safetensors/parse-safetensors-header.js";
import { gitBlobSha1 } from "../util/git-blob-sha1.js";
import { sanitizeJson } from "./sanitize-json.js";

export interface StagedFile {
  /** POSIX path inside the Hub repo. */
  pathInRepo: string;
  /** Where the bytes are read from: the run itself, or the staging folder for generated files. */
  abs: string;
  size: number;
  origin: "run" | "sanitized" | "generated" | "converted";
  /** The run file this came from, for cache keys; undefined for generated files. */
  source: RunFile | undefined;
  /** Known when we wrote the file ourselves, or from the hash cache. */
  sha256: string | undefined;
  /** Git blob id, known for small files we generated. */
  gitSha1?: string | undefined;
  /**
   * Set when the file's content is known (from the cache) but not yet written: call it before
   * uploading the file. Lets an unchanged re-run skip re-converting a large adapter.
   */
  materialize?: (() => Promise<void>) | undefined;
}

export interface StagedRun {
  /** Temporary folder holding the generated files; removed by cleanup(). */
  dir: string;
  files: StagedFile[];
  /** What staging changed, e.g. "adapters/adapter_config.json: data: removed (machine-specific)". */
  notes: string[];
  /** Problems found in the data while converting; non-empty means "do not upload". */
  issues: RunIssue[];
  warnings: string[];
  /**
   * Renders README.md for the final repo id (known only after asking the Hub who the token belongs
   * to, which must wait until the run has passed every local check) and adds or replaces it.
   */
  writeCard(repoId: string): Promise<string>;
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

/** Where the original MLX adapter goes when PEFT files take the repo root. */
export const MLX_FOLDER = "mlx";

export interface Conversion {
  plan: PeftPlan;
  header: SafetensorsHeader;
  weights: RunFile;
  allowUntrained: boolean;
}

export interface StageRunParams {
  runName: string;
  runTimestamp: string | undefined;
  inspection: RunInspection;
  detected: DetectedArtifacts;
  baseModel: string | undefined;
  license: string;
  tmpDir: string;
  toolVersion: string;
  /** Set to convert the run's MLX adapter to PEFT (PEFT at the root, the MLX files under mlx/). */
  conversion: Conversion | undefined;
  /** Remembers converted outputs across runs; without it, every run converts. */
  cache?: HashCache | undefined;
}

/** sha256 and git blob id of content we hold in memory: generated files never need a second read. */
function contentHashes(content: string | Uint8Array): { size: number; sha256: string; gitSha1: string } {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return {
    size: bytes.byteLength,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    gitSha1: gitBlobSha1(bytes),
  };
}

/** Everything that decides the converted bytes; a change to any of it misses the cache. */
function conversionKey(conversion: Conversion): string {
  const recipe = JSON.stringify({
    config: conversion.plan.config,
    tensors: conversion.plan.tensors.map((t) => [t.name, t.dtype, t.shape, t.source.name, t.transpose]),
    allowUntrained: conversion.allowUntrained,
  });
  return `convert:1:${fileKey(conversion.weights)}:${createHash("sha256").update(recipe).digest("hex")}`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

function datasetIds(metadata: Record<string, unknown> | undefined): string[] {
  if (metadata === undefined) {
    return [];
  }
  const values = ["datasets", "dataset", "dataset_repo", "dataset_id", "hf_dataset"].flatMap((key): unknown[] => {
    const value: unknown = metadata[key];
    return Array.isArray(value) ? (value as unknown[]) : [value];
  });
  return [...new Set(values.filter((value): value is string => typeof value === "string" && HUB_ID.test(value)))];
}

/**
 * Builds the upload set without touching the run: run files are referenced where they are, and
 * only files we change or generate (sanitized configs, converted PEFT weights, the model card) are
 * written, into a fresh temp folder. The caller must call cleanup() in a finally block.
 */
export async function stageRun(params: StageRunParams): Promise<StagedRun> {
  const { inspection, detected, conversion } = params;
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
    const issues: RunIssue[] = [];
    const warnings: string[] = [];
    const writeGenerated = async (
      rel: string,
      content: string,
    ): Promise<{ abs: string; size: number; sha256: string; gitSha1: string }> => {
      const abs = path.join(dir, "repo", ...rel.split("/"));
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
      return { abs, ...contentHashes(content) };
    };
    const mlxDir = detected.mlxAdapterDir;
    const repoPathOf = (rel: string): string => {
      if (conversion === undefined || mlxDir === undefined) {
        return rel;
      }
      if (mlxDir === "") {
        return rel === "adapters.safetensors" || rel === "adapter_config.json" ? `${MLX_FOLDER}/${rel}` : rel;
      }
      return rel.startsWith(`${mlxDir}/`) ? `${MLX_FOLDER}/${rel.slice(mlxDir.length + 1)}` : rel;
    };

    const sanitized = new Map<string, unknown>();
    for (const file of inspection.files) {
      if (file.rel === "README.md") {
        notes.push("README.md: replaced by the generated model card");
        continue;
      }
      const pathInRepo = repoPathOf(file.rel);
      const parsed = inspection.json.get(file.rel);
      const base = file.rel.split("/").pop() ?? "";
      if (parsed?.ok && SANITIZED_FILES.has(base)) {
        const { value, changes } = sanitizeJson(parsed.value, { baseModelHubId: params.baseModel });
        sanitized.set(file.rel, value);
        if (changes.length > 0) {
          const written = await writeGenerated(pathInRepo, `${JSON.stringify(value, null, 2)}\n`);
          files.push({ pathInRepo, ...written, origin: "sanitized", source: file });
          notes.push(...changes.map((change) => `${file.rel}: ${change}`));
          continue;
        }
      }
      files.push({ pathInRepo, abs: file.abs, size: file.size, origin: "run", source: file, sha256: undefined });
    }

    if (conversion !== undefined) {
      const peftDir = path.join(dir, "peft");
      await mkdir(peftDir);
      const key = conversionKey(conversion);
      const convert = async (): Promise<Awaited<ReturnType<typeof convertMlxAdapter>>> => {
        const converted = await convertMlxAdapter({
          weightsAbs: conversion.weights.abs,
          weightsRel: conversion.weights.rel,
          header: conversion.header,
          plan: conversion.plan,
          outDir: peftDir,
          allowUntrained: conversion.allowUntrained,
        });
        if (converted.issues.length === 0) {
          params.cache?.set(key, { sha256: converted.weights.sha256, size: converted.weights.size });
        }
        return converted;
      };
      const known = params.cache?.get(key);
      if (known !== undefined) {
        // Converted and validated before from these exact bytes: write only if it must be sent.
        const configText = `${JSON.stringify(conversion.plan.config, null, 2)}\n`;
        const configAbs = path.join(peftDir, "adapter_config.json");
        await writeFile(configAbs, configText);
        const configHashes = contentHashes(configText);
        files.push(
          {
            pathInRepo: "adapter_model.safetensors",
            abs: path.join(peftDir, "adapter_model.safetensors"),
            size: known.size,
            sha256: known.sha256,
            origin: "converted",
            source: undefined,
            materialize: async () => {
              await convert();
            },
          },
          {
            pathInRepo: "adapter_config.json",
            abs: configAbs,
            ...configHashes,
            origin: "converted",
            source: undefined,
          },
        );
      } else {
        const converted = await convert();
        issues.push(...converted.issues);
        warnings.push(...converted.warnings);
        files.push(
          { pathInRepo: "adapter_model.safetensors", ...converted.weights, origin: "converted", source: undefined },
          {
            pathInRepo: "adapter_config.json",
            ...converted.config,
            ...contentHashes(await readFile(converted.config.abs)),
            origin: "converted",
            source: undefined,
          },
        );
      }
      notes.push(
        `${conversion.weights.rel}: converted to PEFT (adapter_model.safetensors, adapter_config.json); the MLX files are under ${MLX_FOLDER}/`,
      );
    }

    const mlxConfigRel =
      mlxDir === undefined ? undefined : mlxDir === "" ? "adapter_config.json" : `${mlxDir}/adapter_config.json`;
    const fusedConfig = asRecord(sanitized.get("config.json"));
    const quantized =
      fusedConfig !== undefined && ("quantization" in fusedConfig || "quantization_config" in fusedConfig);
    const primary = conversion !== undefined ? "peft" : detected.kinds[0];
    const trainingMetadata = asRecord(
      sanitized.get("training_metadata.json") ??
        (mlxDir ? sanitized.get(`${mlxDir}/training_metadata.json`) : undefined),
    );
    const evaluation = inspection.files
      .filter((file) => /(^|\/)(eval|evaluation)[^/]*\.json$/i.test(file.rel) || file.rel.startsWith("evaluation/"))
      .flatMap((file) => {
        const parsed = inspection.json.get(file.rel);
        return parsed?.ok ? [{ file: file.rel, results: parsed.value }] : [];
      });
    const cardInput: Omit<ModelCardInput, "repoId"> = {
      runName: params.runName,
      runTimestamp: params.runTimestamp,
      kinds: conversion !== undefined ? ["peft", ...detected.kinds] : detected.kinds,
      baseModel: params.baseModel,
      license: params.license,
      libraryName: primary === "peft" ? "peft" : primary === "fused" && !quantized ? "transformers" : "mlx",
      mlxAdapterPath: mlxDir === undefined ? undefined : conversion !== undefined ? MLX_FOLDER : mlxDir,
      mlxAdapterConfig: mlxConfigRel === undefined ? undefined : asRecord(sanitized.get(mlxConfigRel)),
      peft: conversion?.plan.summary,
      trainingMetadata,
      datasets: datasetIds(trainingMetadata),
      evaluation,
      files: files
        .map((file) => ({ path: file.pathInRepo, size: file.size }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
      toolVersion: params.toolVersion,
    };
    const byPath = (a: StagedFile, b: StagedFile): number =>
      a.pathInRepo < b.pathInRepo ? -1 : a.pathInRepo > b.pathInRepo ? 1 : 0;
    files.sort(byPath);
    const writeCard = async (repoId: string): Promise<string> => {
      const readme = renderModelCard({ ...cardInput, repoId });
      const written = await writeGenerated("README.md", readme);
      const card: StagedFile = {
        pathInRepo: "README.md",
        ...written,
        origin: "generated",
        source: undefined,
        sha256: undefined,
      };
      const existing = files.findIndex((file) => file.pathInRepo === "README.md");
      if (existing >= 0) {
        files[existing] = card;
      } else {
        files.push(card);
        files.sort(byPath);
      }
      return readme;
    };
    return { dir, files, notes, issues, warnings, writeCard, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof StagingError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new StagingError(`Staging failed in ${dir}: ${code ?? (error as Error).message}`, {
      hint:
        code === "ENOSPC" || code === "EFBIG" || code === "EDQUOT"
          ? "Free disk space or set TMPDIR to a folder with more room"
          : undefined,
      cause: error,
    });
  }
}
