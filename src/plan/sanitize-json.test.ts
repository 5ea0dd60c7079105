import { describe, expect, it } from "vitest";
import { isLocalPath } from "../util/is-local-path.js";
import { sanitizeJson } from "./sanitize-json.js";

describe("isLocalPath", () => {
  it.each([
    "/Users/me/models/x",
    "/home/u/a",
    "~/models",
    "~",
    "./data",
    "../data/x",
    "C:\\models\\x",
    "D:/m",
    "\\\\server\\share",
  ])("%s is a local path", (value) => expect(isLocalPath(value)).toBe(true));
  it.each(["allenai/OLMo-2-0425-1B", "https://huggingface.co/x/y", "/", "/tmp", "q_proj", "lora", "</s>", "{% if %}"])(
    "%s is not",
    (value) => expect(isLocalPath(value)).toBe(false),
  );
});

describe("sanitizeJson", () => {
  it("removes machine keys and local paths at any depth; maps a local base model to the Hub id", () => {
    const { value, changes } = sanitizeJson(
      {
        adapter_path: "/Users/me/run/adapters",
        data: "data",
        resume_adapter_file: null,
        model: "/Users/me/base/OLMo-mlx-q4",
        lora_parameters: { rank: 8, scale: 20 },
        nested: { cache: "/home/me/.cache/x", keep: "allenai/x", list: ["a", "/home/me/y", 3] },
      },
      { baseModelHubId: "allenai/OLMo-2-0425-1B" },
    );
    expect(value).toEqual({
      model: "allenai/OLMo-2-0425-1B",
      lora_parameters: { rank: 8, scale: 20 },
      nested: { keep: "allenai/x", list: ["a", 3] },
    });
    expect(changes).toEqual([
      "adapter_path: removed (machine-specific)",
      "data: removed (machine-specific)",
      "model: local path replaced by allenai/OLMo-2-0425-1B",
      "nested.cache: removed (local path)",
      "nested.list[1]: removed (local path)",
    ]);
  });

  it("removes a local base model when no Hub id is known, and leaves clean documents unchanged", () => {
    expect(sanitizeJson({ base_model: "/x/y/z" }, {}).value).toEqual({});
    const clean = { r: 8, target_modules: ["q_proj"], base_model_name_or_path: "allenai/x" };
    expect(sanitizeJson(clean, {})).toEqual({ value: clean, changes: [] });
  });
});
