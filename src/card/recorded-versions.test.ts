import { describe, expect, it } from "vitest";
import { recordedVersions } from "./recorded-versions.js";

describe("recordedVersions", () => {
  it("reads versions recorded as <library>_version or inside a versions object, with their source", () => {
    expect(
      recordedVersions([
        {
          source: "training_metadata.json",
          value: {
            mlx_lm_version: "0.27.1",
            environment: { framework_versions: { transformers: "4.57.0", "mlx-lm": "0.28.0" }, python: "3.11" },
          },
        },
        { source: "adapter_config.json", value: { peft_version: "0.18.0" } },
      ]),
    ).toEqual([
      { name: "mlx-lm", version: "0.27.1", source: "training_metadata.json" },
      { name: "Transformers", version: "4.57.0", source: "training_metadata.json" },
      { name: "PEFT", version: "0.18.0", source: "adapter_config.json" },
    ]);
  });

  it("infers nothing: other keys and unknown libraries give no version", () => {
    expect(
      recordedVersions([
        { source: "training_metadata.json", value: { version: "2.0", schema_version: 3, hyperparameters: { lr: 1 } } },
        { source: "adapter_config.json", value: { peft_version: undefined } },
      ]),
    ).toEqual([]);
  });
});
