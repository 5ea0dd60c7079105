import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { parseConfig } from "./parse-config.js";

const context = { displayPath: "config/x.yaml", home: "/home/u", cwd: "/work", overrides: {} };

function problems(text: string): string[] {
  try {
    parseConfig(text, context);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems.length > 0 ? [...error.problems] : [error.message];
    }
    throw error;
  }
  return [];
}

describe("parseConfig", () => {
  it("reads the shipped keys with defaults, expanding ~ and resolving relative paths", () => {
    const { config, warnings } = parseConfig(
      'base_models_dir: "~/m/base"\nfine_tuned_models_dir: runs\ndefault_base_model: OLMo\nhuggingface:\n  base_model_hf_id: allenai/OLMo-2-0425-1B\n',
      context,
    );
    expect(warnings).toEqual([]);
    expect(config.baseModelsDir).toBe("/home/u/m/base");
    expect(config.fineTunedModelsDir).toBe("/work/runs");
    expect(config.huggingface).toEqual({
      uploadEnabled: true,
      repoPrefix: undefined,
      privateRepos: false,
      baseModelHfId: "allenai/OLMo-2-0425-1B",
      license: "apache-2.0",
      uploadDatasets: true,
    });
    expect(config.sources.fineTunedModelsDir).toBe("config/x.yaml");
  });

  it("applies environment overrides before validation and says where values came from", () => {
    const { config } = parseConfig("huggingface: {}\n", {
      ...context,
      overrides: { fineTunedModelsDir: "~/env-runs" },
    });
    expect(config.fineTunedModelsDir).toBe("/home/u/env-runs");
    expect(config.sources.fineTunedModelsDir).toBe("env OLMO_FINE_TUNED_MODELS_DIR");
  });

  it.each([
    [
      'huggingface:\n  private_repos: "yes"\n',
      'huggingface.private_repos: expected boolean, got "yes" (config/x.yaml)',
    ],
    ["huggingface:\n  upload_enabled: 1\n", "huggingface.upload_enabled: expected boolean, got 1 (config/x.yaml)"],
    ["huggingface: [a]\n", "huggingface: expected object, got a list (config/x.yaml)"],
    ["fine_tuned_models_dir: {a: 1}\n", "fine_tuned_models_dir: expected string, got a mapping (config/x.yaml)"],
    ['fine_tuned_models_dir: ""\n', "fine_tuned_models_dir: must not be empty (config/x.yaml)"],
    // zod's own English text, which zod/mini leaves out unless it is given a locale.
    [
      'default_base_model: ""\n',
      "default_base_model: Too small: expected string to have >=1 characters (config/x.yaml)",
    ],
    [
      "huggingface:\n  repo_prefix: bad/prefix\n",
      "huggingface.repo_prefix: must be a Hub user or organisation name such as alice or my-org (config/x.yaml)",
    ],
    [
      "huggingface:\n  base_model_hf_id: ~/models/OLMo\n",
      "huggingface.base_model_hf_id: must be a Hub model id such as allenai/OLMo-2-0425-1B-Instruct, not a local path (config/x.yaml)",
    ],
  ])("names key, expectation and file: %j", (text, message) => {
    expect(problems(text)).toEqual([message]);
  });

  it("warns about unknown keys at both levels but leaves other stages' sections alone", () => {
    const { warnings } = parseConfig(
      "fine_tuning: {x: 1}\nknowledge_base: {}\ntypo: 1\nhuggingface:\n  privat: true\n",
      context,
    );
    expect(warnings).toEqual([
      "typo: unknown key, ignored (config/x.yaml)",
      "huggingface.privat: unknown key, ignored (config/x.yaml)",
    ]);
  });

  it.each([
    ["", /is empty/],
    ["# only a comment\n", /is empty/],
    ["a: [1\n", /is not valid YAML/],
    ["a: 1\na: 2\n", /is not valid YAML: duplicated mapping key/],
    ["just a string", /must be a YAML mapping .* got "just a string"/],
  ])("rejects %j", (text, message) => {
    expect(() => parseConfig(text, context)).toThrow(message);
  });

  it("merges YAML merge keys (<<: *anchor) as PyYAML does, instead of warning about a '<<' key", () => {
    const { config, warnings } = parseConfig(
      "defaults: &hub\n  private_repos: true\n  repo_prefix: olmo-org\nfine_tuned_models_dir: /runs\nhuggingface:\n  <<: *hub\n  license: mit\n",
      context,
    );
    expect(warnings.filter((warning) => warning.includes("<<"))).toEqual([]);
    expect(config.huggingface).toMatchObject({ privateRepos: true, repoPrefix: "olmo-org", license: "mit" });
  });

  it("reads the pipeline's own layout: fine_tuning.huggingface and a top-level base_model_hf_id", () => {
    const { config, warnings } = parseConfig(
      "fine_tuning:\n  training: {batch_size: 1}\n  huggingface:\n    upload_enabled: true\n    default_repo_prefix: olmo-org\n    private_repos: true\n    skip_in_daemon: false\nbase_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n",
      context,
    );
    expect(warnings).toEqual([]);
    expect(config.huggingface).toMatchObject({
      uploadEnabled: true,
      repoPrefix: "olmo-org",
      privateRepos: true,
      baseModelHfId: "allenai/OLMo-2-0425-1B-Instruct",
    });
    expect(config.sources.privateRepos).toBe("fine_tuning.huggingface.private_repos in config/x.yaml");
    expect(config.notes).toEqual([
      "fine_tuning.huggingface.skip_in_daemon: ignored, read by the pipeline's daemon mode, not by process-artifacts (config/x.yaml)",
    ]);
  });

  it.each([
    [
      "huggingface: {private_repos: false}\nfine_tuning: {huggingface: {private_repos: true}}\n",
      "huggingface.private_repos is false but fine_tuning.huggingface.private_repos is true (config/x.yaml); keep one of them",
    ],
    [
      "huggingface: {repo_prefix: alice}\nfine_tuning: {huggingface: {default_repo_prefix: olmo-org}}\n",
      'huggingface.repo_prefix is "alice" but fine_tuning.huggingface.default_repo_prefix is "olmo-org" (config/x.yaml); keep one of them',
    ],
    [
      "huggingface: {base_model_hf_id: a/b}\nbase_model_hf_id: c/d\n",
      'huggingface.base_model_hf_id is "a/b" but base_model_hf_id is "c/d" (config/x.yaml); keep one of them',
    ],
    [
      'fine_tuning: {huggingface: {private_repos: "yes"}}\n',
      'fine_tuning.huggingface.private_repos: expected boolean, got "yes" (config/x.yaml)',
    ],
  ])("a setting given twice must agree, and types are checked in both layouts: %j", (text, message) => {
    expect(problems(text)).toEqual([message]);
  });

  it("accepts the same value in both layouts, and null as not set", () => {
    const { config } = parseConfig(
      "huggingface: {private_repos: true, repo_prefix: null}\nfine_tuning: {huggingface: {private_repos: true, default_repo_prefix: olmo-org}}\n",
      context,
    );
    expect(config.huggingface.privateRepos).toBe(true);
    expect(config.huggingface.repoPrefix).toBe("olmo-org");
  });

  it("warns about an unknown key in the pipeline's huggingface section: a misspelt privacy setting must show", () => {
    const { warnings } = parseConfig("fine_tuning: {huggingface: {privat_repos: true}, lora: {rank: 8}}\n", context);
    expect(warnings).toEqual(["fine_tuning.huggingface.privat_repos: unknown key, ignored (config/x.yaml)"]);
  });

  it("OLMO_BASE_MODEL_HF_ID beats both layouts and must be a Hub id", () => {
    const { config } = parseConfig("base_model_hf_id: a/b\n", { ...context, overrides: { baseModelHfId: "e/f" } });
    expect(config.huggingface.baseModelHfId).toBe("e/f");
    expect(config.sources.baseModelHfId).toBe("env OLMO_BASE_MODEL_HF_ID");
    expect(() => parseConfig("a: 1\n", { ...context, overrides: { baseModelHfId: "/local/OLMo" } })).toThrow(
      /OLMO_BASE_MODEL_HF_ID must be a Hub model id/,
    );
  });
});
