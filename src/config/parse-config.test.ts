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
});
