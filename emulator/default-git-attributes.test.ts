import { describe, expect, it } from "vitest";
import { defaultGitAttributes } from "./default-git-attributes.js";
import { lfsRuleFor } from "./lfs-rule-for.js";

describe("defaultGitAttributes", () => {
  it("stores weights and archives in LFS for every repo type, media only in a dataset's", () => {
    const model = lfsRuleFor(defaultGitAttributes("model"));
    const dataset = lfsRuleFor(defaultGitAttributes("dataset"));
    for (const filePath of [
      "model.safetensors",
      "pytorch_model.bin",
      "data.parquet",
      "x.tar.gz",
      "saved_model/a/b.pb",
    ]) {
      expect(model(filePath), filePath).toBe(true);
      expect(dataset(filePath), filePath).toBe(true);
    }
    expect(model("image.png")).toBeUndefined();
    expect(dataset("image.png")).toBe(true);
    expect(dataset("clip.mp4")).toBe(true);
    expect(model("train.jsonl")).toBeUndefined();
    expect(dataset("train.jsonl")).toBeUndefined();
  });

  it("is one rule per line in git-lfs's own form, ending with a newline", () => {
    const text = defaultGitAttributes("model");
    expect(text.endsWith("\n")).toBe(true);
    for (const line of text.trimEnd().split("\n")) {
      expect(line).toMatch(/^\S+ filter=lfs diff=lfs merge=lfs -text$/);
    }
  });
});
