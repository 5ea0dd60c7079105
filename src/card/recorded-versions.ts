import { flattenValues } from "./flatten-values.js";

/** Libraries whose versions a card names, by the spellings runs record them under. */
const LIBRARIES: ReadonlyArray<[RegExp, string]> = [
  [/^mlx[_-]?lm$/, "mlx-lm"],
  [/^mlx$/, "MLX"],
  [/^peft$/, "PEFT"],
  [/^transformers$/, "Transformers"],
  [/^(torch|pytorch)$/, "PyTorch"],
  [/^datasets$/, "Datasets"],
];

function library(name: string): string | undefined {
  return LIBRARIES.find(([pattern]) => pattern.test(name.toLowerCase()))?.[1];
}

/**
 * Pure: the framework versions a run's own files record, with the file each came from: a key such
 * as `mlx_lm_version` or `peft_version`, or a library's name inside a `versions` /
 * `framework_versions` object (`versions.mlx-lm`). Nothing is inferred: an unrecorded version is
 * absent.
 */
export function recordedVersions(
  records: ReadonlyArray<{ source: string; value: unknown }>,
): Array<{ name: string; version: string; source: string }> {
  const found: Array<{ name: string; version: string; source: string }> = [];
  for (const { source, value } of records) {
    for (const [key, version] of flattenValues(value)) {
      const parts = key.split(".");
      const leaf = parts.at(-1) ?? "";
      const parent = parts.at(-2)?.toLowerCase() ?? "";
      const suffixed = /^(.+?)[_-]?version$/i.exec(leaf)?.[1];
      const name =
        suffixed !== undefined ? library(suffixed) : /(^|_)versions$/.test(parent) ? library(leaf) : undefined;
      if (name !== undefined && !found.some((entry) => entry.name === name)) {
        found.push({ name, version, source });
      }
    }
  }
  return found;
}
