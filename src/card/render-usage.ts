import type { ModelCardInput } from "./model-card-input.js";

/** What the snippets ask the model: the task it was fine-tuned for. */
const PROMPT = "Review this WebAuthn registration handler for security issues: ...";
const MAX_NEW_TOKENS = 256;

/** transformers: the chat template turns the prompt into the model's input; only the new tokens are printed. */
function transformersGenerate(chat: boolean): string[] {
  return chat
    ? [
        `messages = [{"role": "user", "content": "${PROMPT}"}]`,
        "inputs = tokenizer.apply_chat_template(",
        '    messages, add_generation_prompt=True, return_tensors="pt", return_dict=True',
        ").to(model.device)",
        `outputs = model.generate(**inputs, max_new_tokens=${MAX_NEW_TOKENS})`,
        'print(tokenizer.decode(outputs[0][inputs["input_ids"].shape[-1]:], skip_special_tokens=True))',
      ]
    : [
        `inputs = tokenizer("${PROMPT}", return_tensors="pt").to(model.device)`,
        `outputs = model.generate(**inputs, max_new_tokens=${MAX_NEW_TOKENS})`,
        'print(tokenizer.decode(outputs[0][inputs["input_ids"].shape[-1]:], skip_special_tokens=True))',
      ];
}

/** mlx-lm: as its own generated cards do, a prompt through the chat template when the tokenizer has one. */
function mlxGenerate(chat: boolean): string[] {
  return [
    ...(chat
      ? [
          `messages = [{"role": "user", "content": "${PROMPT}"}]`,
          "prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=False)",
        ]
      : [`prompt = "${PROMPT}"`]),
    `print(generate(model, tokenizer, prompt=prompt, max_tokens=${MAX_NEW_TOKENS}))`,
  ];
}

function python(lines: readonly string[]): string[] {
  return ["```python", ...lines, "```", ""];
}

/**
 * Pure: the "How to use" section: code that loads what this repo holds and generates text, by the
 * repo's own id and the base model's. For an adapter, with PEFT (AutoPeftModelForCausalLM finds the
 * base by the id in adapter_config.json) and with mlx-lm on the MLX original (`load` with the
 * adapter folder downloaded from the repo, or the mlx_lm.generate command); for a fused model, with
 * transformers when it can load it and with mlx-lm when MLX saved it. Adapters were trained on chat
 * data (mlx-lm applies the chat template to `messages`), so their snippets use the chat template; a
 * fused model's use it when its tokenizer has one.
 */
export function renderUsage(input: ModelCardInput): string[] {
  const lines = ["## How to use", ""];
  const base = input.baseModel;
  if (input.peft !== undefined || input.kinds.includes("peft")) {
    lines.push(
      "With [PEFT](https://github.com/huggingface/peft) and transformers (`pip install peft transformers`):",
      "",
      ...python([
        "from peft import AutoPeftModelForCausalLM",
        "from transformers import AutoTokenizer",
        "",
        `model = AutoPeftModelForCausalLM.from_pretrained("${input.repoId}")`,
        base === undefined
          ? 'tokenizer = AutoTokenizer.from_pretrained(model.peft_config["default"].base_model_name_or_path)'
          : `tokenizer = AutoTokenizer.from_pretrained("${base}")`,
        "",
        ...transformersGenerate(true),
      ]),
    );
  }
  if (input.mlxAdapterPath !== undefined) {
    const folder = input.mlxAdapterPath;
    const model = base ?? "<base model>";
    const patterns = folder === "" ? '["adapters.safetensors", "adapter_config.json"]' : `["${folder}/*"]`;
    lines.push(
      `With [mlx-lm](https://github.com/ml-explore/mlx-lm) on Apple silicon (\`pip install mlx-lm\`), from the MLX adapter in \`${folder === "" ? "." : folder}/\`:`,
      "",
      ...python([
        "from huggingface_hub import snapshot_download",
        "from mlx_lm import generate, load",
        "",
        `repo = snapshot_download("${input.repoId}", allow_patterns=${patterns})`,
        `model, tokenizer = load("${model}", adapter_path=${folder === "" ? "repo" : `f"{repo}/${folder}"`})`,
        "",
        ...mlxGenerate(true),
      ]),
      "or from the command line:",
      "",
      "```bash",
      `hf download ${input.repoId} --local-dir ${input.runName}`,
      `mlx_lm.generate --model ${model} --adapter-path ${folder === "" ? input.runName : `${input.runName}/${folder}`} --prompt "${PROMPT}"`,
      "```",
      "",
    );
  }
  if (input.kinds[0] === "fused") {
    const chat = input.chatTemplate ?? false;
    if (input.libraryName === "transformers") {
      lines.push(
        "With transformers:",
        "",
        ...python([
          "from transformers import AutoModelForCausalLM, AutoTokenizer",
          "",
          `model = AutoModelForCausalLM.from_pretrained("${input.repoId}")`,
          `tokenizer = AutoTokenizer.from_pretrained("${input.repoId}")`,
          "",
          ...transformersGenerate(chat),
        ]),
      );
    }
    if (input.mlxFused === true || input.libraryName === "mlx") {
      lines.push(
        "With [mlx-lm](https://github.com/ml-explore/mlx-lm) on Apple silicon (`pip install mlx-lm`):",
        "",
        ...python([
          "from mlx_lm import generate, load",
          "",
          `model, tokenizer = load("${input.repoId}")`,
          "",
          ...mlxGenerate(chat),
        ]),
      );
    }
  }
  return lines.length > 2 ? lines : [];
}
