import { CORE_SCHEMA, load, mergeTag } from "js-yaml";
import { ConfigError } from "../errors.js";
import { englishZodErrors } from "../util/english-zod-errors.js";
import { resolveUserPath } from "../util/resolve-user-path.js";
import { isPlainObject } from "../util/is-plain-object.js";
import {
  HUB_REPO_ID,
  KNOWN_KEYS,
  OTHER_STAGE_SECTIONS,
  PIPELINE_HUGGINGFACE_KEYS,
  configSchema,
} from "./config-schema.js";

export interface Config {
  /** Absolute, `~` expanded; undefined when neither the file nor the environment sets it. */
  baseModelsDir: string | undefined;
  fineTunedModelsDir: string | undefined;
  defaultBaseModel: string | undefined;
  huggingface: HubSettings;
  /**
   * Where each value came from, for messages: "config/x.yaml", "huggingface.private_repos in
   * config/x.yaml", "fine_tuning.huggingface.private_repos in config/x.yaml", "env …" or "default".
   */
  sources: { fineTunedModelsDir: string; baseModelsDir: string } & Record<keyof SharedSettings, string>;
  /** Keys the tool knows but does not use, said under --verbose so nothing is dropped silently. */
  notes: string[];
}

/** Settings both layouts can give: ours (`huggingface.*`) and the pipeline's (`fine_tuning.huggingface.*`). */
interface SharedSettings {
  uploadEnabled: boolean;
  repoPrefix: string | undefined;
  privateRepos: boolean;
  baseModelHfId: string | undefined;
}

export interface HubSettings extends SharedSettings {
  license: string;
  uploadDatasets: boolean;
  /** One stable repo for every run (a tag per run); undefined: a repo per run. */
  repoId: string | undefined;
  /** Access gating for repos the tool creates; undefined when the config does not say. */
  gated: false | "auto" | "manual" | undefined;
}

// The pipeline reads this file with PyYAML, which merges `<<: *anchor` keys; without the tag js-yaml would keep a
// literal "<<" key and the merged settings would be silently lost.
const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

export interface ConfigOverrides {
  fineTunedModelsDir?: string | undefined;
  baseModelsDir?: string | undefined;
  defaultBaseModel?: string | undefined;
  /** OLMO_BASE_MODEL_HF_ID. */
  baseModelHfId?: string | undefined;
}

const SHARED: ReadonlyArray<{
  field: keyof SharedSettings;
  ours: readonly string[];
  theirs: readonly string[];
  fallback: boolean | undefined;
}> = [
  {
    field: "uploadEnabled",
    ours: ["huggingface", "upload_enabled"],
    theirs: ["fine_tuning", "huggingface", "upload_enabled"],
    fallback: true,
  },
  {
    field: "repoPrefix",
    ours: ["huggingface", "repo_prefix"],
    theirs: ["fine_tuning", "huggingface", "default_repo_prefix"],
    fallback: undefined,
  },
  {
    field: "privateRepos",
    ours: ["huggingface", "private_repos"],
    theirs: ["fine_tuning", "huggingface", "private_repos"],
    fallback: false,
  },
  {
    field: "baseModelHfId",
    ours: ["huggingface", "base_model_hf_id"],
    theirs: ["base_model_hf_id"],
    fallback: undefined,
  },
];

/** Known keys of the pipeline's layout that this tool has no use for, and why. */
const UNUSED_PIPELINE_KEYS: Readonly<Record<string, string>> = {
  skip_in_daemon: "read by the pipeline's daemon mode, not by process-artifacts",
  upload_staging_dir: "process-artifacts stages in a temp folder under TMPDIR and removes it afterwards",
};

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
    raw = load(text, { filename: where, schema: YAML_SCHEMA });
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
  const notes: string[] = [];
  const pipelineHub = valueAt(raw, ["fine_tuning", "huggingface"]);
  if (isPlainObject(pipelineHub)) {
    for (const inner of Object.keys(pipelineHub)) {
      if (!PIPELINE_HUGGINGFACE_KEYS.has(inner)) {
        // The section holds privacy settings: a misspelt one must not pass unnoticed.
        warnings.push(`fine_tuning.huggingface.${inner}: unknown key, ignored (${where})`);
      } else if (UNUSED_PIPELINE_KEYS[inner] !== undefined) {
        notes.push(`fine_tuning.huggingface.${inner}: ignored, ${UNUSED_PIPELINE_KEYS[inner]} (${where})`);
      }
    }
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (OTHER_STAGE_SECTIONS.has(key)) {
      continue;
    }
    if (!(key in KNOWN_KEYS)) {
      warnings.push(`${key}: unknown key, ignored (${where})`);
      continue;
    }
    const nested = KNOWN_KEYS[key];
    if (nested && isPlainObject(value)) {
      for (const inner of Object.keys(value)) {
        if (!nested.has(inner)) {
          warnings.push(`${key}.${inner}: unknown key, ignored (${where})`);
        }
      }
    }
  }

  const parsed = configSchema.safeParse(raw, { error: englishZodErrors });
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
  const shared: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const conflicts: string[] = [];
  for (const setting of SHARED) {
    // null is YAML's "not set" (the bundled config writes repo_prefix: null).
    const ours = valueAt(data, setting.ours) ?? undefined;
    const theirs = valueAt(data, setting.theirs) ?? undefined;
    const oursKey = setting.ours.join(".");
    const theirsKey = setting.theirs.join(".");
    if (ours !== undefined && theirs !== undefined && ours !== theirs) {
      conflicts.push(
        `${oursKey} is ${JSON.stringify(ours)} but ${theirsKey} is ${JSON.stringify(theirs)} (${where}); keep one of them`,
      );
    }
    shared[setting.field] = ours ?? theirs ?? setting.fallback;
    sources[setting.field] =
      ours !== undefined ? `${oursKey} in ${where}` : theirs !== undefined ? `${theirsKey} in ${where}` : "default";
  }
  if (overrides.baseModelHfId !== undefined) {
    if (!HUB_REPO_ID.test(overrides.baseModelHfId)) {
      conflicts.push(
        `OLMO_BASE_MODEL_HF_ID must be a Hub model id such as allenai/OLMo-2-0425-1B-Instruct, got "${overrides.baseModelHfId}"`,
      );
    }
    shared.baseModelHfId = overrides.baseModelHfId;
    sources.baseModelHfId = "env OLMO_BASE_MODEL_HF_ID";
  }
  if (conflicts.length > 0) {
    throw new ConfigError(conflicts.length === 1 ? (conflicts[0] ?? "") : `${where} has ${conflicts.length} problems`, {
      problems: conflicts.length === 1 ? [] : conflicts,
      hint: `Edit ${where}: a setting given in both layouts must agree (keys are documented in the README, section "Configuration")`,
    });
  }
  const fineTuned = overrides.fineTunedModelsDir ?? data.fine_tuned_models_dir;
  const baseModels = overrides.baseModelsDir ?? data.base_models_dir;
  return {
    warnings,
    config: {
      fineTunedModelsDir: fineTuned === undefined ? undefined : resolveUserPath(fineTuned, home, cwd),
      baseModelsDir: baseModels === undefined ? undefined : resolveUserPath(baseModels, home, cwd),
      defaultBaseModel: overrides.defaultBaseModel ?? data.default_base_model,
      huggingface: {
        ...(shared as unknown as SharedSettings),
        license: data.huggingface?.license ?? "apache-2.0",
        uploadDatasets: data.huggingface?.upload_datasets ?? true,
        repoId: data.huggingface?.repo_id ?? undefined,
        gated: data.huggingface?.gated,
      },
      sources: {
        fineTunedModelsDir: overrides.fineTunedModelsDir === undefined ? where : "env OLMO_FINE_TUNED_MODELS_DIR",
        baseModelsDir: overrides.baseModelsDir === undefined ? where : "env OLMO_BASE_MODELS_DIR",
        ...(sources as Record<keyof SharedSettings, string>),
      },
      notes,
    },
  };
}
