import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { HashCache } from "../cache/load-hash-cache.js";
import { StagingError, ValidationError } from "../errors.js";
import { invalidRunError } from "../validate/invalid-run-error.js";
import { bytesFile } from "./bytes-file.js";
import type { RepoPlan, UploadPlan } from "../plan/upload-plan.js";
import { runRelativePath } from "../runs/run-relative-path.js";
import { errorCode } from "../util/error-code.js";
import type { ValidatedRun } from "../validate/validated-run.js";
import type { RunFile } from "../runs/inspect-run.js";
import type { FileIdentity } from "../util/file-identity.js";
import { conversionCacheKey } from "./conversion-cache-key.js";
import { runConversion } from "./run-conversion.js";
import type { StagedFile, StagedRepo, StagedUpload } from "./staged-upload.js";

/**
 * Makes every planned file's bytes available without touching the run: run files are referenced
 * where they are, small generated files stay in memory, and only the converted PEFT weights are
 * written, into `dir` (which the caller owns and removes). When the hash cache already knows the
 * converted bytes, the conversion waits until the upload shows it must be sent.
 */
export async function stageUpload(params: {
  plan: UploadPlan;
  validated: ValidatedRun;
  dir: string;
  cache: HashCache | undefined;
}): Promise<StagedUpload> {
  const { plan, validated, dir, cache } = params;
  const { conversion } = validated;
  const modelDir = validated.assessment.modelDir;
  const warnings: string[] = [];
  let pendingConversion: StagedUpload["pendingConversion"];
  let converted: StagedFile | undefined;
  if (conversion !== undefined) {
    const outDir = path.join(dir, "peft");
    const cacheKey = conversionCacheKey(conversion);
    const known = cache?.get(cacheKey);
    try {
      await mkdir(outDir, { recursive: true });
      if (known !== undefined) {
        pendingConversion = { conversion, outDir, cacheKey };
        converted = stagedWeights(outDir, known.size, known.sha256, true);
      } else {
        const result = await runConversion({ conversion, outDir, cache, cacheKey });
        if (result.issues.length > 0) {
          const issues = result.issues.map((issue) => ({ ...issue, file: runRelativePath(modelDir, issue.file) }));
          throw invalidRunError(plan.runName, issues);
        }
        warnings.push(...result.warnings);
        converted = stagedWeights(outDir, result.size, result.sha256, false);
      }
    } catch (error) {
      if (error instanceof ValidationError) {
        throw error;
      }
      const code = errorCode(error);
      throw new StagingError(`Staging failed in ${dir}: ${code ?? (error as Error).message}`, {
        hint:
          code === "ENOSPC" || code === "EFBIG" || code === "EDQUOT"
            ? "Free disk space or set TMPDIR to a folder with more room"
            : undefined,
        cause: error,
      });
    }
  }
  const stage = (repo: RepoPlan): StagedRepo => ({
    type: repo.type,
    name: repo.name,
    files: repo.files.map((file): StagedFile => {
      switch (file.content.type) {
        case "run":
          return {
            pathInRepo: file.pathInRepo,
            origin: file.origin,
            size: file.content.file.size,
            content: { type: "file", abs: file.content.file.abs, identity: identityOf(file.content.file) },
            source: file.content.file,
            sha256: undefined,
            gitSha1: undefined,
            pending: false,
          };
        case "text":
          return bytesFile(file.pathInRepo, file.origin, file.content.text, file.content.from);
        case "converted-weights":
          if (converted === undefined) {
            throw new Error("the plan has converted weights but nothing was converted");
          }
          return converted;
      }
    }),
  });
  return {
    model: stage(plan.model),
    dataset: plan.dataset === undefined ? undefined : stage(plan.dataset),
    pendingConversion,
    warnings,
  };
}

/** The file as validation saw it: a blob refuses to send a file that no longer matches. */
function identityOf(file: RunFile): FileIdentity {
  return { dev: file.dev, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, ctimeMs: file.ctimeMs };
}

function stagedWeights(outDir: string, size: number, sha256: string, pending: boolean): StagedFile {
  return {
    pathInRepo: "adapter_model.safetensors",
    origin: "converted",
    size,
    content: { type: "file", abs: path.join(outDir, "adapter_model.safetensors") },
    source: undefined,
    sha256,
    gitSha1: undefined,
    pending,
  };
}
