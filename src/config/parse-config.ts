import { load } from "js-yaml";
import { ConfigError } from "../errors.js";
import { resolveUserPath } from "./resolve-user-path.js";
import { KNOWN_KEYS, OTHER_STAGE_SECTIONS, configSchema } from "./config-schema.js";

export interface Config {
  /** Absolute, `~` expanded; undefined when neither the file nor the environment sets it. */
  baseModelsDir: string | undefined;
  fineTunedModelsDir: string | undefined;
  defaultBaseModel: string | undefined;
  huggingface: {
    uploadEnabled: boolean;
    repoPrefix: string | undefined;
    privateRepos: boolean;
    baseModelHfId: string | undefined;
    license: string;
  };
  /** Where each directory came from, for messages ("config/x.yaml" or "env OLMO_FINE_TUNED_MODELS_DIR"). */
  sources: { fineTunedModelsDir: string; baseModelsDir: string };
}

export interface ConfigOverrides {
  fineTunedModelsDir?: string | undefined;
  baseModelsDir?: string | undefined;
  defaultBaseModel?: string | undefined;
}

export interface ParseConfigContext {
  /** How to name the file in messages (relative to the cwd when inside it). */
  displayPath: string;
  home: string;
  cwd: string;
  overrides: ConfigOverrides;
}

function describe(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "a list";
  }
  if (typeof value === "object") {
    return "a mapping";
  }
  return JSON.stringify(value);
}

function valueAt(root: unknown, keys: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of keys) {
    if (current === null || typeof current !== "object") {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Pure: YAML text → typed config plus warnings. Throws one ConfigError listing every problem, each
 * naming the key and the file, e.g. `huggingface.private_repos: expected boolean, got "yes" (config/x.yaml)`.
 */
export function parseConfig(text: string, context: ParseConfigContext): { config: Config; warnings: string[] } {
  const where = context.displayPath;
  const emptyError = (): ConfigError =>
    new ConfigError(`${where} is empty`, {
      hint: "It needs at least fine_tuned_models_dir; see config/olmo-security-config.yaml in this package",
    });
  if (text.split(/\r?\n/).every((line) => line.trim() === "" || line.trim().startsWith("#"))) {
    throw emptyError();
  }
  let raw: unknown;
  try {
    raw = load(text, { filename: where });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError(`${where} is not valid YAML: ${reason}`, {
      hint: "Fix the YAML syntax (indentation, quotes, duplicate keys) and run again",
      cause: error,
    });
  }
  if (raw === undefined || raw === null) {
    throw emptyError();
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${where} must be a YAML mapping of keys to values, got ${describe(raw)}`);
  }

  const warnings: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (OTHER_STAGE_SECTIONS.has(key)) {
      continue;
    }
    if (!(key in KNOWN_KEYS)) {
      warnings.push(`${key}: unknown key, ignored (${where})`);
      continue;
    }
    const nested = KNOWN_KEYS[key];
    if (nested && value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) {
        if (!nested.has(inner)) {
          warnings.push(`${key}.${inner}: unknown key, ignored (${where})`);
        }
      }
    }
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join(".") || "(top level)";
      if (issue.code === "invalid_type") {
        const actual = valueAt(raw, issue.path);
        const got = actual === undefined ? "nothing" : describe(actual);
        return `${key}: expected ${issue.expected}, got ${got} (${where})`;
      }
      return `${key}: ${issue.message} (${where})`;
    });
    throw new ConfigError(problems.length === 1 ? (problems[0] ?? "") : `${where} has ${problems.length} problems`, {
      problems: problems.length === 1 ? [] : problems,
      hint: `Edit ${where} (keys are documented in the README, section "Configuration")`,
    });
  }

  const data = parsed.data;
  const { home, cwd, overrides } = context;
  const fineTuned = overrides.fineTunedModelsDir ?? data.fine_tuned_models_dir;
  const baseModels = overrides.baseModelsDir ?? data.base_models_dir;
  return {
    warnings,
    config: {
      fineTunedModelsDir: fineTuned === undefined ? undefined : resolveUserPath(fineTuned, home, cwd),
      baseModelsDir: baseModels === undefined ? undefined : resolveUserPath(baseModels, home, cwd),
      defaultBaseModel: overrides.defaultBaseModel ?? data.default_base_model,
      huggingface: {
        uploadEnabled: data.huggingface.upload_enabled,
        repoPrefix: data.huggingface.repo_prefix ?? undefined,
        privateRepos: data.huggingface.private_repos,
        baseModelHfId: data.huggingface.base_model_hf_id ?? undefined,
        license: data.huggingface.license,
      },
      sources: {
        fineTunedModelsDir: overrides.fineTunedModelsDir === undefined ? where : "env OLMO_FINE_TUNED_MODELS_DIR",
        baseModelsDir: overrides.baseModelsDir === undefined ? where : "env OLMO_BASE_MODELS_DIR",
      },
    },
  };
}
