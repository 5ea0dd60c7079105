"""Phase 1 of the real-client tests: the base model every published adapter is loaded on.

Builds a tiny random OLMo-2 (fixed seed) and a tiny tokenizer without any download, saves both with
transformers into OUT, uploads the folder to the Hub at HF_ENDPOINT as REPO with huggingface_hub, and
prints on stdout, as one JSON object, the modules an MLX adapter may target with their shapes, so the
test can write adapters that fit this very model.

    python build_base.py OUT REPO
"""

import json
import sys

import loopback_only

loopback_only.install()

import torch  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers  # noqa: E402
from transformers import Olmo2Config, Olmo2ForCausalLM, PreTrainedTokenizerFast  # noqa: E402

SEED = 20251015


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    """One token per character: enough for a real tokenizer.json that AutoTokenizer loads."""
    vocab = {"<|pad|>": 0, "<|endoftext|>": 1}
    for char in "abcdefghijklmnopqrstuvwxyz0123456789 .,:;!?'\"()-_/\n":
        vocab[char] = len(vocab)
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<|endoftext|>"))
    backend.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, eos_token="<|endoftext|>", pad_token="<|pad|>")
    # OLMo-2 Instruct ships a chat template; the fused-model validation warns without one.
    tokenizer.chat_template = "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    return tokenizer


def tiny_olmo2(vocab_size: int) -> Olmo2ForCausalLM:
    # Every projection a different shape (GQA: k/v 32 -> 16; MLP 32 -> 48 -> 32): a transpose
    # mistake in a conversion cannot hide behind a square matrix.
    config = Olmo2Config(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=48,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=64,
        tie_word_embeddings=False,
        pad_token_id=0,
        bos_token_id=None,
        eos_token_id=1,
    )
    torch.manual_seed(SEED)
    return Olmo2ForCausalLM(config)


def main(out: str, repo: str) -> None:
    tokenizer = tiny_tokenizer()
    model = tiny_olmo2(len(tokenizer))
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    # Through Xet, as a default install uploads (the emulator serves it); every download below reads it back.
    api = HfApi()
    api.create_repo(repo, exist_ok=True)
    api.upload_folder(repo_id=repo, folder_path=out, commit_message="Tiny random OLMo-2 for the real-client tests")
    targets = {}
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            targets[name] = {"kind": "linear", "in": module.in_features, "out": module.out_features}
        elif isinstance(module, torch.nn.Embedding):
            targets[name] = {"kind": "embedding", "in": module.num_embeddings, "out": module.embedding_dim}
    print(json.dumps({"modules": targets, "layers": model.config.num_hidden_layers}))


if __name__ == "__main__":
    main(*sys.argv[1:])
