import { createHash } from "node:crypto";
import { fileKey } from "../cache/file-key.js";
import type { Conversion } from "../validate/validated-run.js";

/** Everything that decides the converted bytes; a change to any of it misses the cache. */
export function conversionCacheKey(conversion: Conversion): string {
  const recipe = JSON.stringify({
    config: conversion.plan.config,
    tensors: conversion.plan.tensors.map((t) => [t.name, t.dtype, t.shape, t.source.name, t.transpose]),
    allowUntrained: conversion.allowUntrained,
  });
  return `convert:1:${fileKey(conversion.weights)}:${createHash("sha256").update(recipe).digest("hex")}`;
}
