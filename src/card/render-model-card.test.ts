import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { renderModelCard, type ModelCardInput } from "./render-model-card.js";

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
    expect(card).toContain("| hyperparameters.learning_rate | 0.0002 |");
    expect(card).toContain("| mlx-lm iters | 600 |");
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
    expect(card).toContain("| hub_token | (withheld: it looks like a Hugging Face token) |");
    expect(card).toContain("| training_params.report_to | (withheld: it looks like a W&B API key) |");
    expect(card).toContain("| training_params.push | (withheld: it looks like a Hugging Face token) |");
    expect(card).toContain("| learning_rate | 0.0002 |");
    expect(card).toContain("| training_params.iters | 1200 |");
  });
});
