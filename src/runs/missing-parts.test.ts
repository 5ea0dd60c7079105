import { describe, expect, it } from "vitest";
import type { RunIssue } from "../errors.js";
import type { ArtifactKind } from "./detect-artifact-kinds.js";
import { missingParts } from "./missing-parts.js";

const TRUNCATED: RunIssue = {
  file: "adapters.safetensors",
  message: "truncated: tensors need 4096 bytes but the file has 1024",
};
const NO_CONFIG: RunIssue = {
  file: "adapter_config.json",
  message: "missing: MLX adapters need adapter_config.json next to adapters.safetensors",
};
const NO_MODEL = "holds no model (adapters/adapters.safetensors + adapter_config.json, or a fused model)";

describe("missingParts", () => {
  it.each<[string, RunIssue[], ArtifactKind[], RunIssue[], string, string[]]>([
    ["a complete model", [], ["mlx-lora"], [], "", []],
    ["an empty run folder", [], [], [], "", [`the run folder ${NO_MODEL}`]],
    ["an empty stage folder", [], [], [], "stage2/adapters", [`stage2/adapters/ ${NO_MODEL}`]],
    [
      "a missing part",
      [],
      [],
      [NO_CONFIG],
      "",
      ["adapter_config.json is missing: MLX adapters need adapter_config.json next to adapters.safetensors"],
    ],
    [
      "a missing part in a stage folder",
      [],
      [],
      [NO_CONFIG],
      "stage2/adapters",
      [
        "stage2/adapters/adapter_config.json is missing: MLX adapters need adapter_config.json next to adapters.safetensors",
      ],
    ],
    [
      "a file still being written",
      [TRUNCATED],
      ["mlx-lora"],
      [],
      "",
      ["adapters.safetensors is shorter than its header says (still being written?)"],
    ],
    [
      "a file still being written in a stage folder",
      [TRUNCATED],
      [],
      [],
      "stage2/adapters",
      ["stage2/adapters/adapters.safetensors is shorter than its header says (still being written?)"],
    ],
    [
      "missing parts, then half-written files",
      [TRUNCATED],
      [],
      [NO_CONFIG],
      "",
      [
        "adapter_config.json is missing: MLX adapters need adapter_config.json next to adapters.safetensors",
        "adapters.safetensors is shorter than its header says (still being written?)",
      ],
    ],
    // Anything else wrong is validation's to report, with every problem listed.
    ["an unparsable file", [{ file: "adapter_config.json", message: "invalid JSON: x" }], [], [NO_CONFIG], "", []],
    [
      "an issue that only mentions truncation",
      [{ file: "adapters.safetensors", message: "header says truncated: no" }],
      [],
      [],
      "",
      [],
    ],
    [
      "a half-present artifact that is not missing anything",
      [TRUNCATED],
      ["peft"],
      [{ file: "adapter_config.json", message: "has no peft_type, so it is not missing anything" }],
      "",
      [],
    ],
  ])("%s", (_name, inspectionIssues, kinds, detectedIssues, where, expected) => {
    const detected = { kinds, mlxAdapterDir: undefined, shards: [], issues: detectedIssues };
    expect(missingParts({ issues: inspectionIssues }, detected, where).map((issue) => issue.message)).toEqual(expected);
  });

  it.each<[string, RunIssue[], RunIssue[], string, string[]]>([
    ["an empty run folder: the run folder itself", [], [], "", [""]],
    ["an empty stage folder: that folder", [], [], "stage2/adapters", ["stage2/adapters"]],
    [
      "a missing part: the file, named from the run folder",
      [],
      [NO_CONFIG],
      "stage2/adapters",
      ["stage2/adapters/adapter_config.json"],
    ],
    [
      "a file still being written: that file",
      [TRUNCATED],
      [],
      "stage2/adapters",
      ["stage2/adapters/adapters.safetensors"],
    ],
  ])("names the file of each part: %s", (_name, inspectionIssues, detectedIssues, where, expected) => {
    const detected = { kinds: [], mlxAdapterDir: undefined, shards: [], issues: detectedIssues };
    expect(missingParts({ issues: inspectionIssues }, detected, where).map((issue) => issue.file)).toEqual(expected);
  });
});
