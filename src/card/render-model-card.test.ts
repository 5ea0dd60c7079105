import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import type { ModelCardInput } from "./model-card-input.js";
import { renderModelCard } from "./render-model-card.js";

const input: ModelCardInput = {
  repoId: "alice/webauthn-security-sequential_20250926_120000",
  runName: "webauthn-security-sequential_20250926_120000",
  runTimestamp: "2025-09-26T12:00:00",
  kinds: ["mlx-lora"],
  baseModel: "allenai/OLMo-2-0425-1B-Instruct",
  license: "apache-2.0",
  libraryName: "mlx",
  mlxAdapterPath: "adapters",
  mlxAdapterConfig: {
    fineTuneType: "lora",
    rank: 8,
    scale: 20,
    dropout: 0,
    numLayers: 16,
    legacyAlpha: undefined,
    model: undefined,
    settings: [["iters", "600"]],
  },
  trainingMetadata: { hyperparameters: { learning_rate: 0.0002, batch_size: 1 }, timestamp: "2025-09-26T12:00:00" },
  files: [{ path: "adapters/adapters.safetensors", size: 2048 }],
  toolVersion: "0.1.0",
};

function frontMatter(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!match) {
    throw new Error("no front matter");
  }
  return load(match[1] ?? "") as Record<string, unknown>;
}

describe("renderModelCard", () => {
  it("writes Hub metadata through a YAML library", () => {
    expect(frontMatter(renderModelCard(input))).toEqual({
      base_model: "allenai/OLMo-2-0425-1B-Instruct",
      base_model_relation: "adapter",
      library_name: "mlx",
      pipeline_tag: "text-generation",
      license: "apache-2.0",
      tags: [
        "olmo-security-pipeline",
        "security",
        "webauthn",
        "mlx",
        "lora",
        "base_model:adapter:allenai/OLMo-2-0425-1B-Instruct",
      ],
    });
  });

  it("states only recorded facts", () => {
    const card = renderModelCard(input);
    expect(card).toContain("- **Rank (r):** 8");
    expect(card).toContain("- **MLX scale:** 20");
    expect(card).toContain("| hyperparameters.learning_rate | 0.0002 | training_metadata.json |");
    expect(card).toContain("| iters | 600 |");
    expect(card).toContain(
      "mlx_lm.generate --model allenai/OLMo-2-0425-1B-Instruct --adapter-path webauthn-security-sequential_20250926_120000/adapters",
    );
    expect(card).not.toMatch(/accuracy|\d+(\.\d+)?%/i);
  });

  it.each<[ModelCardInput["kinds"], string]>([
    [["mlx-lora"], "MLX LoRA adapters from"],
    [["fused"], "Fused model from"],
    [["peft"], "PEFT adapter from"],
    [["fused", "peft", "mlx-lora"], "Fused model and PEFT adapter and MLX LoRA adapters from"],
  ])("names what a card without a PEFT conversion holds: %j", (kinds, opening) => {
    expect(renderModelCard({ ...input, kinds })).toContain(`\n${opening} the OLMo security analysis pipeline`);
  });

  it("omits what is unknown instead of guessing", () => {
    const card = renderModelCard({
      ...input,
      baseModel: undefined,
      mlxAdapterConfig: undefined,
      trainingMetadata: undefined,
    });
    const meta = frontMatter(card);
    expect(meta).not.toHaveProperty("base_model");
    expect(meta.tags).not.toContainEqual(expect.stringMatching(/^base_model:/));
    expect(card).toContain("- **Base model:** not recorded");
    expect(card).not.toContain("Rank (r)");
    expect(card).not.toContain("## Training details");
    expect(card).not.toContain("## Citation");
  });

  it("quotes awkward values safely", () => {
    const card = renderModelCard({ ...input, license: "other", runName: 'a "quoted" run' });
    expect(frontMatter(card).license).toBe("other");
    expect(card).toContain('# a "quoted" run');
  });

  it("never copies a recorded value that looks like a secret, in any table", () => {
    // Built at run time so no token-shaped string sits in the repository.
    const token = `hf_${"Z9y8X7w6V5".repeat(4)}`;
    const wandb = "fedcba9876543210".repeat(3).slice(0, 40);
    const card = renderModelCard({
      ...input,
      trainingMetadata: { hub_token: token, learning_rate: 0.0002 },
      stages: [
        { name: "stage1", trainingParams: { report_to: `wandb login ${wandb}` }, datasetStats: {} },
        { name: "stage2", trainingParams: { iters: 1200, push: [`--token=${token}`] }, datasetStats: { n: 3 } },
      ],
    });

    expect(card).not.toContain(token);
    expect(card).not.toContain(wandb);
    expect(card).toContain("| hub_token | (withheld: it looks like a Hugging Face token) | training_metadata.json |");
    expect(card).toContain("| training_params.report_to | (withheld: it looks like a W&B API key) |");
    expect(card).toContain("| training_params.push | (withheld: it looks like a Hugging Face token) |");
    expect(card).toContain("| learning_rate | 0.0002 | training_metadata.json |");
    expect(card).toContain("| training_params.iters | 1200 |");
  });

  it("says which settings produced the adapter, and marks every other record that contradicts them", () => {
    const card = renderModelCard({
      ...input,
      mlxAdapterConfig: {
        ...(input.mlxAdapterConfig as NonNullable<ModelCardInput["mlxAdapterConfig"]>),
        settings: [
          ["iters", "100"],
          ["learning_rate", "0.0002"],
        ],
      },
      runTimestamp: "2025-10-15T12:00:00",
      trainingMetadata: {
        timestamp: "2025-09-26T12:00:00.000000",
        hyperparameters: { learning_rate: 2e-4, num_iters: 120, batch_size: 1 },
      },
      stages: [
        { name: "stage1", trainingParams: { iters: 800 }, datasetStats: {}, adapterSettings: [["iters", "800"]] },
        {
          name: "stage2",
          trainingParams: { learning_rate: 1e-6, iters: 100 },
          datasetStats: {},
          adapterSettings: [
            ["iters", "100"],
            ["learning_rate", "0.0002"],
          ],
        },
      ],
    });
    const produced = section(card, "### Settings that produced this adapter");
    expect(produced).toContain("published as `adapters/adapter_config.json`");
    expect(produced).toContain("| iters | 100 |");
    expect(produced).toContain("| learning_rate | 0.0002 |");
    const recorded = section(card, "### Also recorded by the run");
    // 2e-4 is 0.0002: no contradiction. 120 iterations is one, and the metadata's date is not the run's.
    expect(recorded).toContain("| hyperparameters.learning_rate | 0.0002 | training_metadata.json |");
    expect(recorded).toContain(
      "| hyperparameters.num_iters | 120 (the adapter's adapter_config.json says 100) | training_metadata.json |",
    );
    expect(recorded).toContain(
      "| timestamp | 2025-09-26T12:00:00.000000 (the run is dated 2025-10-15) | training_metadata.json |",
    );
    const stages = section(card, "## Training stages");
    expect(stages).toContain("| training_params.iters | 800 |");
    expect(stages).toContain("| training_params.learning_rate | 0.000001 (its adapter_config.json says 0.0002) |");
    expect(stages).toContain("| training_params.iters | 100 |");
  });

  it("for a fused model claims no adapter, adapter config or training settings it does not have", () => {
    const card = renderModelCard({
      ...input,
      kinds: ["fused"],
      libraryName: "mlx",
      mlxFused: true,
      chatTemplate: true,
      mlxAdapterPath: undefined,
      mlxAdapterConfig: undefined,
      trainingMetadata: undefined,
      trainingBase: { name: "OLMo-2-1B-Instruct-mlx-q4", bits: 4 },
      trainingData: { id: "alice/run-training-data", splits: [{ split: "train", examples: 3 }] },
    });
    expect(card).not.toContain("adapter_config.json");
    expect(card).not.toMatch(/the adapter runs|Settings that produced/);
    expect(card).toContain("- **Trained from:** `OLMo-2-1B-Instruct-mlx-q4` (4-bit quantized, per its config)");
    expect(section(card, "### Recorded by the run")).toContain(
      "| train examples | 3 | the published training data, counted |",
    );
    expect(frontMatter(card).tags).toContain("mlx");
    const usage = section(card, "## How to use");
    expect(usage).toContain(`model, tokenizer = load("${input.repoId}")`);
    expect(usage).toContain("tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=False)");
    // Quantized by MLX: transformers cannot load it, so it gets no transformers snippet.
    expect(usage).not.toContain("AutoModelForCausalLM");
    expect(card).not.toContain("mlx-lm: the run does not record");
  });

  it("gives an unquantized MLX-saved fused model both a transformers and an mlx-lm snippet, plain text without a chat template", () => {
    const card = renderModelCard({
      ...input,
      kinds: ["fused"],
      libraryName: "transformers",
      mlxFused: true,
      chatTemplate: false,
      mlxAdapterPath: undefined,
      mlxAdapterConfig: undefined,
    });
    const usage = section(card, "## How to use");
    expect(usage).toContain(`AutoModelForCausalLM.from_pretrained("${input.repoId}")`);
    expect(usage).toContain(`load("${input.repoId}")`);
    expect(usage).not.toContain("apply_chat_template");
    expect(frontMatter(card).tags).toContain("mlx");
  });

  it("shows PEFT and mlx-lm snippets that generate with the chat template, by the repo's and the base's ids", () => {
    const card = renderModelCard({
      ...input,
      kinds: ["peft", "mlx-lora"],
      libraryName: "peft",
      mlxAdapterPath: "mlx",
      peft: { r: 8, alpha: 160, dropout: 0, targetModules: ["q_proj"], layers: null, dora: false },
    });
    const usage = section(card, "## How to use");
    expect(usage).toContain(`model = AutoPeftModelForCausalLM.from_pretrained("${input.repoId}")`);
    expect(usage).toContain('tokenizer = AutoTokenizer.from_pretrained("allenai/OLMo-2-0425-1B-Instruct")');
    expect(usage).toContain("tokenizer.apply_chat_template(\n    messages, add_generation_prompt=True");
    expect(usage).toContain(`snapshot_download("${input.repoId}", allow_patterns=["mlx/*"])`);
    expect(usage).toContain('load("allenai/OLMo-2-0425-1B-Instruct", adapter_path=f"{repo}/mlx")');
    expect(usage).toContain(`--adapter-path ${input.runName}/mlx`);
  });

  it.each<[string | undefined, boolean]>([
    ["allenai/OLMo-2-0425-1B-Instruct", true],
    ["allenai/OLMo-2-1124-7B", true],
    ["allenai/OLMo-1B-hf", false],
    ["alice/tiny-olmo2", false],
    [undefined, false],
  ])("cites the OLMo 2 paper for base %s: %s", (baseModel, cited) => {
    const card = renderModelCard({ ...input, baseModel });
    expect(card.includes("## Citation")).toBe(cited);
    expect(card.includes("eprint={2501.00656}")).toBe(cited);
  });

  it("names the framework versions the run records, the PEFT config format and the tool's version", () => {
    const converted = renderModelCard({
      ...input,
      kinds: ["peft", "mlx-lora"],
      libraryName: "peft",
      mlxAdapterPath: "mlx",
      peft: { r: 8, alpha: 160, dropout: 0, targetModules: ["q_proj"], layers: null, dora: false },
      frameworkVersions: [{ name: "mlx-lm", version: "0.27.1", source: "training_metadata.json" }],
    });
    const versions = section(converted, "## Framework versions");
    expect(versions).toContain("- process-artifacts 0.1.0: published this repo, converted the MLX adapter to PEFT");
    expect(versions).toContain("only the keys PEFT has read since 0.9.0");
    expect(versions).toContain("- mlx-lm 0.27.1 (recorded in training_metadata.json)");
    expect(section(renderModelCard(input), "## Framework versions")).toContain(
      "- mlx-lm: the run does not record which version trained the adapter",
    );
  });
});

/** The text of one section: from its heading to the next heading of the same or a higher level. */
function section(card: string, heading: string): string {
  const start = card.indexOf(`\n${heading}\n`);
  if (start < 0) {
    throw new Error(`no section ${heading}`);
  }
  const level = heading.split(" ")[0] ?? "##";
  const rest = card.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}
