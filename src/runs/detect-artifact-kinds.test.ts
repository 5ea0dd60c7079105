import { describe, expect, it } from "vitest";
import type { RunIssue } from "../errors.js";
import { detectArtifactKinds, SHARD_INDEX, type DetectedArtifacts } from "./detect-artifact-kinds.js";
import type { Parsed, RunInspection } from "./inspect-run.js";

const PEFT_CONFIG = { peft_type: "LORA", r: 8 };
const MLX_CONFIG = { fine_tune_type: "lora", lora_parameters: { rank: 8, scale: 20 } };
const UNPARSABLE = Symbol("unparsable");

/** A listing as inspectRun returns it: file names, the parsed JSON files, and what was left out. */
function listing(
  files: string[],
  json: Record<string, unknown> = {},
  excluded: Array<[string, string]> = [],
): Pick<RunInspection, "files" | "json" | "excluded"> {
  return {
    files: files.map((rel) => ({ rel, abs: `/run/${rel}`, size: 1, mtimeMs: 0, ctimeMs: 0, ino: 0, dev: 0 })),
    json: new Map(
      Object.entries(json).map(([rel, value]): [string, Parsed<unknown>] => [
        rel,
        value === UNPARSABLE ? { ok: false, error: "invalid JSON" } : { ok: true, value },
      ]),
    ),
    excluded: excluded.map(([rel, reason]) => ({ rel, reason })),
  };
}

const detected = (fields: Partial<DetectedArtifacts>): DetectedArtifacts => ({
  kinds: [],
  mlxAdapterDir: undefined,
  shards: [],
  issues: [],
  ...fields,
});
const issue = (file: string, message: string): RunIssue => ({ file, message });

const NO_MLX_CONFIG = "missing: MLX adapters need adapter_config.json next to adapters.safetensors";
const NO_MLX_WEIGHTS = "missing: adapter_config.json is there but the adapter weights are not";
const ONLY_CHECKPOINTS =
  "missing: only intermediate checkpoints (NNNNNNN_adapters.safetensors) exist; did training finish?";
const CHECKPOINT = "intermediate training checkpoint";

describe("detectArtifactKinds", () => {
  it.each<[string, ReturnType<typeof listing>, DetectedArtifacts]>([
    ["nothing", listing([]), detected({})],
    ["unrelated files", listing(["README.md", "training-data/train.jsonl"]), detected({})],

    // Fused models.
    ["a fused model", listing(["config.json", "model.safetensors"]), detected({ kinds: ["fused"] })],
    [
      "a sharded fused model",
      listing(["config.json", "model-00002-of-00002.safetensors", "model-00001-of-00002.safetensors", SHARD_INDEX]),
      detected({
        kinds: ["fused"],
        shards: ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
      }),
    ],
    [
      "shards without their index",
      listing(["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]),
      detected({
        kinds: ["fused"],
        shards: ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
        issues: [issue(SHARD_INDEX, "missing: a sharded model needs it to map tensors to the 2 shard files")],
      }),
    ],
    [
      "weights without config.json",
      listing(["model.safetensors"]),
      detected({ issues: [issue("config.json", "missing: a fused model needs config.json next to its weights")] }),
    ],
    [
      "shards without config.json",
      listing(["model-00001-of-00001.safetensors"]),
      detected({
        shards: ["model-00001-of-00001.safetensors"],
        issues: [issue("config.json", "missing: a fused model needs config.json next to its weights")],
      }),
    ],
    [
      "names that are not shards",
      listing([
        "config.json",
        "model-0001-of-0002.safetensors",
        "sub/model-00001-of-00002.safetensors",
        "model-00001-of-00002.safetensors.incomplete",
      ]),
      detected({}),
    ],

    // PEFT adapters.
    [
      "a PEFT adapter",
      listing(["adapter_config.json", "adapter_model.safetensors"], { "adapter_config.json": PEFT_CONFIG }),
      detected({ kinds: ["peft"] }),
    ],
    [
      "PEFT weights without their config",
      listing(["adapter_model.safetensors"]),
      detected({
        issues: [issue("adapter_config.json", "missing: a PEFT adapter needs it next to adapter_model.safetensors")],
      }),
    ],
    [
      "a PEFT config without weights",
      listing(["adapter_config.json"], { "adapter_config.json": PEFT_CONFIG }),
      detected({
        issues: [
          issue(
            "adapter_model.safetensors",
            "missing: adapter_config.json has peft_type but there are no PEFT weights",
          ),
        ],
      }),
    ],
    [
      "PEFT weights next to a config without peft_type",
      listing(["adapter_config.json", "adapter_model.safetensors"], { "adapter_config.json": MLX_CONFIG }),
      detected({
        issues: [
          issue(
            "adapter_config.json",
            "has no peft_type, so adapter_model.safetensors cannot be loaded as a PEFT adapter",
          ),
          // It may as well be mlx-lm's config, whose weights are missing.
          issue("adapters.safetensors", NO_MLX_WEIGHTS),
        ],
      }),
    ],
    [
      "PEFT weights next to a config that is JSON null",
      listing(["adapter_config.json", "adapter_model.safetensors"], { "adapter_config.json": null }),
      detected({
        issues: [
          issue(
            "adapter_config.json",
            "has no peft_type, so adapter_model.safetensors cannot be loaded as a PEFT adapter",
          ),
          // It may as well be mlx-lm's config, whose weights are missing.
          issue("adapters.safetensors", NO_MLX_WEIGHTS),
        ],
      }),
    ],
    [
      // Validation reports the parse error itself.
      "PEFT weights next to an unparsable config",
      listing(["adapter_config.json", "adapter_model.safetensors"], { "adapter_config.json": UNPARSABLE }),
      detected({ issues: [issue("adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      // inspectRun leaves a JSON file unparsed when it is a git-LFS pointer or too big, and reports that itself.
      "PEFT weights next to a config that was not read",
      listing(["adapter_config.json", "adapter_model.safetensors"]),
      detected({ issues: [issue("adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "a PEFT config next to MLX weights",
      listing(["adapter_config.json", "adapters.safetensors"], { "adapter_config.json": PEFT_CONFIG }),
      detected({
        issues: [
          issue(
            "adapter_model.safetensors",
            "missing: adapter_config.json has peft_type but there are no PEFT weights",
          ),
        ],
      }),
    ],

    // MLX adapters.
    [
      "MLX adapters in adapters/",
      listing(["adapters/adapter_config.json", "adapters/adapters.safetensors"], {
        "adapters/adapter_config.json": MLX_CONFIG,
      }),
      detected({ kinds: ["mlx-lora"], mlxAdapterDir: "adapters" }),
    ],
    [
      "MLX adapters at the root",
      listing(["adapter_config.json", "adapters.safetensors"], { "adapter_config.json": MLX_CONFIG }),
      detected({ kinds: ["mlx-lora"], mlxAdapterDir: "" }),
    ],
    [
      "MLX adapters with an unparsable config (validation reports it)",
      listing(["adapter_config.json", "adapters.safetensors"], { "adapter_config.json": UNPARSABLE }),
      detected({ kinds: ["mlx-lora"], mlxAdapterDir: "" }),
    ],
    [
      "MLX adapters in both places: adapters/ wins",
      listing([
        "adapter_config.json",
        "adapters.safetensors",
        "adapters/adapter_config.json",
        "adapters/adapters.safetensors",
      ]),
      detected({ kinds: ["mlx-lora"], mlxAdapterDir: "adapters" }),
    ],
    [
      "MLX weights without their config",
      listing(["adapters/adapters.safetensors"]),
      detected({ issues: [issue("adapters/adapter_config.json", NO_MLX_CONFIG)] }),
    ],
    [
      "MLX weights without their config, at the root",
      listing(["adapters.safetensors"]),
      detected({ issues: [issue("adapter_config.json", NO_MLX_CONFIG)] }),
    ],
    [
      "an adapter folder's config without weights",
      listing(["adapters/adapter_config.json"], { "adapters/adapter_config.json": MLX_CONFIG }),
      detected({ issues: [issue("adapters/adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "an adapter folder's config with only checkpoints",
      listing(["adapters/adapter_config.json"], {}, [["adapters/0000100_adapters.safetensors", CHECKPOINT]]),
      detected({ issues: [issue("adapters/adapters.safetensors", ONLY_CHECKPOINTS)] }),
    ],
    [
      "an adapter folder's config, with checkpoints elsewhere",
      listing(["adapters/adapter_config.json"], {}, [["0000100_adapters.safetensors", CHECKPOINT]]),
      detected({ issues: [issue("adapters/adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "an adapter folder's config, with a git folder next to it",
      listing(["adapters/adapter_config.json"], {}, [["adapters/.git/", "git metadata"]]),
      detected({ issues: [issue("adapters/adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "an adapter folder's config, with a notebook's checkpoints next to it",
      listing(["adapters/adapter_config.json"], {}, [["adapters/.ipynb_checkpoints/", "notebook checkpoints"]]),
      detected({ issues: [issue("adapters/adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "an adapter folder's config without weights, next to a fused model",
      listing(["config.json", "model.safetensors", "adapters/adapter_config.json"]),
      detected({ kinds: ["fused"], issues: [issue("adapters/adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "a lone config at the root",
      listing(["adapter_config.json"], { "adapter_config.json": MLX_CONFIG }),
      detected({ issues: [issue("adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    [
      "a lone config at the root with only checkpoints",
      listing(["adapter_config.json"], {}, [["0000100_adapters.safetensors", CHECKPOINT]]),
      detected({ issues: [issue("adapters.safetensors", ONLY_CHECKPOINTS)] }),
    ],
    [
      "a lone config at the root, with checkpoints in a subfolder",
      listing(["adapter_config.json"], {}, [["adapters/0000100_adapters.safetensors", CHECKPOINT]]),
      detected({ issues: [issue("adapters.safetensors", NO_MLX_WEIGHTS)] }),
    ],
    // At the root, adapter_config.json may belong to another model: only a lone one means missing weights.
    [
      "a root config next to a fused model",
      listing(["adapter_config.json", "config.json", "model.safetensors"]),
      detected({ kinds: ["fused"] }),
    ],
    [
      "a root config next to MLX adapters in adapters/",
      listing(["adapter_config.json", "adapters/adapter_config.json", "adapters/adapters.safetensors"]),
      detected({ kinds: ["mlx-lora"], mlxAdapterDir: "adapters" }),
    ],
    [
      "a fused model with PEFT and MLX adapters",
      listing(
        [
          "config.json",
          "model.safetensors",
          "adapter_config.json",
          "adapter_model.safetensors",
          "adapters/adapter_config.json",
          "adapters/adapters.safetensors",
        ],
        { "adapter_config.json": PEFT_CONFIG },
      ),
      detected({ kinds: ["fused", "peft", "mlx-lora"], mlxAdapterDir: "adapters" }),
    ],
  ])("%s", (_name, inspection, expected) => {
    expect(detectArtifactKinds(inspection)).toEqual(expected);
  });
});
