import { describe, expect, it } from "vitest";
import { readMlxAdapterConfig, type MlxAdapterConfig } from "./read-mlx-adapter-config.js";

const FILE = "adapters/adapter_config.json";
const PARAMS = { rank: 8, scale: 20, dropout: 0.05 };
const DEFAULTS: MlxAdapterConfig = {
  fineTuneType: "lora",
  rank: 8,
  scale: 20,
  dropout: 0.05,
  numLayers: undefined,
  legacyAlpha: undefined,
  model: undefined,
  settings: [],
};

describe("readMlxAdapterConfig: what it reads", () => {
  it.each<[string, Record<string, unknown>, Partial<MlxAdapterConfig>]>([
    ["a current mlx-lm config", { fine_tune_type: "lora", lora_parameters: PARAMS }, {}],
    ["no fine_tune_type: LoRA", { lora_parameters: PARAMS }, {}],
    ["DoRA", { fine_tune_type: "dora", lora_parameters: PARAMS }, { fineTuneType: "dora" }],
    ["the old use_dora flag", { use_dora: true, lora_parameters: PARAMS }, { fineTuneType: "dora" }],
    ["use_dora must be true itself", { use_dora: "true", lora_parameters: PARAMS }, { fineTuneType: "lora" }],
    ["fine_tune_type wins over use_dora", { fine_tune_type: "lora", use_dora: true, lora_parameters: PARAMS }, {}],
    ["no dropout: 0", { lora_parameters: { rank: 8, scale: 20 } }, { dropout: 0 }],
    ["a dropout of 0", { lora_parameters: { ...PARAMS, dropout: 0 } }, { dropout: 0 }],
    ["a fractional scale", { lora_parameters: { ...PARAMS, scale: 0.5 } }, { scale: 0.5 }],
    ["num_layers", { num_layers: 16, lora_parameters: PARAMS }, { numLayers: 16 }],
    ["the old lora_layers", { lora_layers: -1, lora_parameters: PARAMS }, { numLayers: -1 }],
    ["num_layers wins over lora_layers", { num_layers: 4, lora_layers: 8, lora_parameters: PARAMS }, { numLayers: 4 }],
    ["num_layers that is not a number", { num_layers: "16", lora_parameters: PARAMS }, { numLayers: undefined }],
    [
      "the card's settings, as written, scalars only, in a fixed order",
      { seed: 0, iters: 600, optimizer: "adam", batch_size: [4], learning_rate: 1e-5, lora_parameters: PARAMS },
      {
        settings: [
          ["iters", "600"],
          ["learning_rate", "0.00001"],
          ["optimizer", "adam"],
          ["seed", "0"],
        ],
      },
    ],
    [
      "every setting a card shows",
      {
        max_seq_length: 2048,
        seed: 42,
        optimizer: "adamw",
        learning_rate: 0.0002,
        batch_size: 4,
        iters: 600,
        lora_parameters: PARAMS,
      },
      {
        settings: [
          ["iters", "600"],
          ["batch_size", "4"],
          ["learning_rate", "0.0002"],
          ["optimizer", "adamw"],
          ["max_seq_length", "2048"],
          ["seed", "42"],
        ],
      },
    ],
    [
      "lora_layers and alpha: maybe mlx-lm ≤ 0.14.1",
      { lora_layers: 16, lora_parameters: { ...PARAMS, alpha: 16 } },
      { numLayers: 16, legacyAlpha: 16 },
    ],
    [
      "alpha without lora_layers is not legacy",
      { num_layers: 16, lora_parameters: { ...PARAMS, alpha: 16 } },
      { numLayers: 16, legacyAlpha: undefined },
    ],
    [
      "an alpha of 0 is no alpha",
      { lora_layers: 16, lora_parameters: { ...PARAMS, alpha: 0 } },
      { numLayers: 16, legacyAlpha: undefined },
    ],
    ["the base model", { model: "allenai/OLMo-2-1B", lora_parameters: PARAMS }, { model: "allenai/OLMo-2-1B" }],
    ["a base model that is not a string", { model: 7, lora_parameters: PARAMS }, { model: undefined }],
  ])("%s", (_name, raw, fields) => {
    expect(readMlxAdapterConfig(raw, FILE)).toEqual({ config: { ...DEFAULTS, ...fields }, issues: [] });
  });
});

describe("readMlxAdapterConfig: what it refuses", () => {
  it.each<[string, unknown, string[]]>([
    ["null", null, ["must be a JSON object"]],
    ["an array", [PARAMS], ["must be a JSON object"]],
    ["a string", "lora", ["must be a JSON object"]],
    [
      "full fine-tuning",
      { fine_tune_type: "full", lora_parameters: PARAMS },
      [
        "fine_tune_type is full: these are full weights, not LoRA adapters; fuse them with mlx_lm.fuse and upload the fused model",
      ],
    ],
    [
      "full fine-tuning has no lora_parameters to miss",
      { fine_tune_type: "full" },
      [
        "fine_tune_type is full: these are full weights, not LoRA adapters; fuse them with mlx_lm.fuse and upload the fused model",
      ],
    ],
    [
      "another type",
      { fine_tune_type: "qlora", lora_parameters: PARAMS },
      ['fine_tune_type must be lora or dora, got "qlora"'],
    ],
    [
      "no lora_parameters",
      { fine_tune_type: "lora" },
      ["lora_parameters is missing: it holds the rank and scale the adapter was trained with"],
    ],
    [
      "lora_parameters null",
      { lora_parameters: null },
      ["lora_parameters is missing: it holds the rank and scale the adapter was trained with"],
    ],
    [
      "lora_parameters an array",
      { lora_parameters: [8, 20] },
      ["lora_parameters is missing: it holds the rank and scale the adapter was trained with"],
    ],
    [
      "another type and no lora_parameters",
      { fine_tune_type: 3 },
      [
        "fine_tune_type must be lora or dora, got 3",
        "lora_parameters is missing: it holds the rank and scale the adapter was trained with",
      ],
    ],
    ["no rank", { lora_parameters: { scale: 20 } }, ["lora_parameters.rank must be a positive integer, got undefined"]],
    ["rank 0", { lora_parameters: { ...PARAMS, rank: 0 } }, ["lora_parameters.rank must be a positive integer, got 0"]],
    [
      "a negative rank",
      { lora_parameters: { ...PARAMS, rank: -8 } },
      ["lora_parameters.rank must be a positive integer, got -8"],
    ],
    [
      "a fractional rank",
      { lora_parameters: { ...PARAMS, rank: 2.5 } },
      ["lora_parameters.rank must be a positive integer, got 2.5"],
    ],
    [
      "a rank in a string",
      { lora_parameters: { ...PARAMS, rank: "8" } },
      ['lora_parameters.rank must be a positive integer, got "8"'],
    ],
    ["no scale", { lora_parameters: { rank: 8 } }, ["lora_parameters.scale must be a positive number, got undefined"]],
    [
      "scale 0",
      { lora_parameters: { ...PARAMS, scale: 0 } },
      ["lora_parameters.scale must be a positive number, got 0"],
    ],
    [
      "a scale in a string",
      { lora_parameters: { ...PARAMS, scale: "20" } },
      ['lora_parameters.scale must be a positive number, got "20"'],
    ],
    [
      // JSON.parse reads 1e999 as Infinity, which the message must not show as null (JSON's spelling of it).
      "an infinite scale",
      { lora_parameters: { ...PARAMS, scale: JSON.parse("1e999") as unknown } },
      ["lora_parameters.scale must be a positive number, got Infinity"],
    ],
    [
      "an infinite rank",
      { lora_parameters: { ...PARAMS, rank: JSON.parse("1e999") as unknown } },
      ["lora_parameters.rank must be a positive integer, got Infinity"],
    ],
    [
      "a dropout of 1",
      { lora_parameters: { ...PARAMS, dropout: 1 } },
      ["lora_parameters.dropout must be a number in [0, 1), got 1"],
    ],
    [
      "a negative dropout",
      { lora_parameters: { ...PARAMS, dropout: -0.1 } },
      ["lora_parameters.dropout must be a number in [0, 1), got -0.1"],
    ],
    [
      "a dropout in a string",
      { lora_parameters: { ...PARAMS, dropout: "0.1" } },
      ['lora_parameters.dropout must be a number in [0, 1), got "0.1"'],
    ],
    [
      "every problem at once",
      { fine_tune_type: "qlora", lora_parameters: { rank: 0, scale: -1, dropout: 2 } },
      [
        'fine_tune_type must be lora or dora, got "qlora"',
        "lora_parameters.rank must be a positive integer, got 0",
        "lora_parameters.scale must be a positive number, got -1",
        "lora_parameters.dropout must be a number in [0, 1), got 2",
      ],
    ],
  ])("%s", (_name, raw, messages) => {
    expect(readMlxAdapterConfig(raw, FILE)).toEqual({
      config: undefined,
      issues: messages.map((message) => ({ file: FILE, message })),
    });
  });
});
