import path from "node:path";
import type { HashCache } from "../cache/load-hash-cache.js";
import { convertMlxAdapter } from "../convert/convert-mlx-adapter.js";
import type { RunIssue } from "../errors.js";
import type { Conversion } from "../validate/validated-run.js";

export const CONVERTED_WEIGHTS = "adapter_model.safetensors";

/**
 * Writes the PEFT weights into `outDir` and, when they pass the value checks (no NaN/Inf, trained),
 * remembers their hash so an unchanged re-run need not convert again.
 */
export async function runConversion(params: {
  conversion: Conversion;
  outDir: string;
  cache: HashCache | undefined;
  cacheKey: string;
}): Promise<{ abs: string; size: number; sha256: string; issues: RunIssue[]; warnings: string[] }> {
  const { conversion } = params;
  const converted = await convertMlxAdapter({
    weightsAbs: conversion.weights.abs,
    weightsRel: conversion.weights.rel,
    header: conversion.header,
    plan: conversion.plan,
    outDir: params.outDir,
    allowUntrained: conversion.allowUntrained,
  });
  if (converted.issues.length === 0) {
    params.cache?.set(params.cacheKey, { sha256: converted.weights.sha256, size: converted.weights.size });
  }
  return {
    abs: path.join(params.outDir, CONVERTED_WEIGHTS),
    size: converted.weights.size,
    sha256: converted.weights.sha256,
    issues: converted.issues,
    warnings: converted.warnings,
  };
}
