import { load } from "js-yaml";
import { frontMatterText } from "./front-matter-text.js";
import { checkModelIndex } from "./check-model-index.js";
import type { RepoType } from "./types.js";

const HUB_ID = /^[\w.-]+(\/[\w.-]+)?$/;

function isStringOrStrings(value: unknown): boolean {
  return typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"));
}

function checkHubIds(metadata: Record<string, unknown>, key: string): string | undefined {
  const value = metadata[key];
  if (value === undefined) {
    return undefined;
  }
  for (const id of Array.isArray(value) ? value : [value]) {
    if (typeof id !== "string" || !HUB_ID.test(id)) {
      return `"${key}" must be a Hub id or a list of them, got ${JSON.stringify(id)}`;
    }
  }
  return undefined;
}

/** A dataset card's `configs`: a list of mappings, each with a unique `config_name` and well-formed `data_files`. */
function checkConfigs(value: unknown): string | undefined {
  if (!Array.isArray(value)) {
    return `"configs" must be a list of mappings with a "config_name"`;
  }
  const names = new Set<string>();
  for (const config of value) {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      return `"configs" must be a list of mappings with a "config_name"`;
    }
    const { config_name: name, data_files: files } = config as Record<string, unknown>;
    if (typeof name !== "string" || name === "") {
      return `every entry of "configs" needs a "config_name" string`;
    }
    if (names.has(name)) {
      return `"configs" lists "${name}" twice`;
    }
    names.add(name);
    const splitsOk =
      files === undefined ||
      isStringOrStrings(files) ||
      (Array.isArray(files) &&
        files.every(
          (entry) =>
            entry !== null &&
            typeof entry === "object" &&
            typeof (entry as Record<string, unknown>).split === "string" &&
            isStringOrStrings((entry as Record<string, unknown>).path),
        ));
    if (!splitsOk) {
      return `"data_files" of config "${name}" must be a path, a list of paths, or a list of {split, path}`;
    }
  }
  return undefined;
}

/**
 * The checks the Hub is known to make on card metadata that matter to our users: the front matter is a
 * YAML mapping; list-or-string fields hold strings; a model card's `base_model` / `datasets` hold Hub
 * ids, never local paths, and its `model-index` follows the evaluation-results schema; a dataset
 * card's `configs` are well formed. Returns the problem, if any.
 */
export function validateFrontMatter(readme: string, repoType: RepoType = "model"): string | undefined {
  const yaml = frontMatterText(readme);
  if (yaml === undefined) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = load(yaml);
  } catch (error) {
    return `YAML front matter does not parse: ${(error as Error).message.split("\n")[0] ?? ""}`;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "YAML front matter must be a mapping";
  }
  const metadata = parsed as Record<string, unknown>;
  for (const key of ["license", "language", "tags"]) {
    if (metadata[key] !== undefined && !isStringOrStrings(metadata[key])) {
      return `"${key}" must be a string or a list of strings`;
    }
  }
  if (repoType === "model") {
    return (
      checkHubIds(metadata, "base_model") ??
      checkHubIds(metadata, "datasets") ??
      (metadata["model-index"] === undefined ? undefined : checkModelIndex(metadata["model-index"]))
    );
  }
  for (const key of ["task_categories", "task_ids", "size_categories", "multilinguality"]) {
    if (metadata[key] !== undefined && !isStringOrStrings(metadata[key])) {
      return `"${key}" must be a string or a list of strings`;
    }
  }
  if (metadata.pretty_name !== undefined && typeof metadata.pretty_name !== "string") {
    return `"pretty_name" must be a string`;
  }
  return metadata.configs === undefined ? undefined : checkConfigs(metadata.configs);
}
