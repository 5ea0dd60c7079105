"""Phase 3 of the real-client tests: what process-artifacts published, loaded as users load it.

tests/integration/real-clients.test.ts publishes runs to a local Hub (HF_ENDPOINT) and writes a manifest
(REAL_CLIENTS_MANIFEST) saying what went where and from which local files; every check here loads by
Hub id with the pinned libraries (tests/real-clients/requirements.txt) and compares with the run itself.
"""

import copy
import functools
import hashlib
import json
import os
from pathlib import Path

import pytest

if not os.environ.get("REAL_CLIENTS_MANIFEST"):
    pytest.skip(
        "run through tests/integration/real-clients.test.ts, which publishes what these checks load",
        allow_module_level=True,
    )

import datasets  # noqa: E402
import torch  # noqa: E402
from huggingface_hub import ModelCard, snapshot_download  # noqa: E402
from peft import AutoPeftModelForCausalLM, PeftModel  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer  # noqa: E402

MANIFEST = json.loads(Path(os.environ["REAL_CLIENTS_MANIFEST"]).read_text(encoding="utf-8"))
BASE = MANIFEST["base"]
ADAPTERS = {adapter["case"]: adapter for adapter in MANIFEST["adapters"]}
FUSED = {fused["case"]: fused for fused in MANIFEST["fused"]}
DATASETS = {dataset["case"]: dataset for dataset in MANIFEST["datasets"]}
REPOS = {f"{repo['type']}:{repo['repo']}": repo for repo in MANIFEST["repos"]}
CARDS = {card["repo"]: card for card in MANIFEST["cards"]}

# Same answers on every run and machine: one thread sums in one order.
torch.set_num_threads(1)

# F32: PEFT adds s·B(A·x) to W·x while the reference multiplies by W + s·(A·B)ᵀ (merged in float64);
# from the same float32 values the two differ only by float32 rounding (2^-24 relative) through two
# layers, on logits of magnitude below 1: measured at most 3e-7. 2e-5 leaves room for another BLAS and
# is still about 10^4 times smaller than what the adapters here do to the logits (0.2 to 0.5), so an
# alpha off by 1 % already fails (tried), let alone a transposed matrix or the wrong stage.
F32_TOLERANCE = 2e-5
# A wrong conversion (a transposed matrix, alpha off by a factor, a module left out, the wrong stage)
# moves the logits by a good part of the adapter's own effect, so a check can see it only when that
# effect is well above its tolerance: a tenth of it here, for bfloat16 too.
MIN_EFFECT_OVER_TOLERANCE = 10


@functools.cache
def input_ids() -> torch.Tensor:
    vocab = AutoConfig.from_pretrained(BASE).vocab_size
    # Token 0 is padding; everything else is fair game.
    return torch.randint(1, vocab, (2, 24), generator=torch.Generator().manual_seed(7))


def logits(model) -> torch.Tensor:
    with torch.no_grad():
        return model(input_ids=input_ids()).logits.float()


def loading(what: str, load):
    """`load()`, or one line saying what a user would have failed to load, and why."""
    try:
        return load()
    except Exception as error:  # noqa: BLE001 - any failure to load is the finding
        raise AssertionError(f"{what} failed: {type(error).__name__}: {error}") from error


def load_base(dtype=torch.float32):
    return AutoModelForCausalLM.from_pretrained(BASE, dtype=dtype).eval()


def mlx_modules(adapter: dict) -> dict[str, dict[str, torch.Tensor]]:
    """The run's MLX adapter file, grouped by module: {path: {"lora_a", "lora_b"[, "m"]}}."""
    modules: dict[str, dict[str, torch.Tensor]] = {}
    for key, tensor in load_file(adapter["weights"]).items():
        path, part = key.rsplit(".", 1)
        modules.setdefault(path, {})[part] = tensor
    return modules


@functools.cache
def hand_merged(case: str):
    """The base with the run's MLX adapter merged as mlx-lm computes it, in float64, from the MLX file.

    mlx-lm: LoRALinear y = W·x + scale·(x·A)·B with A [in, r], B [r, out], so W' = W + scale·(A·B)ᵀ;
    LoRAEmbedding adds scale·(A[x]·B), so E' = E + scale·(A·B); DoRALinear rescales each output row of
    W' to the magnitude m: W'' = (m / ‖W'‖_row) · W'.
    """
    adapter = ADAPTERS[case]
    config = json.loads(Path(adapter["config"]).read_text(encoding="utf-8"))
    scale = float(config["lora_parameters"]["scale"])
    dora = config.get("fine_tune_type") == "dora"
    model = load_base()
    named = dict(model.named_modules())
    with torch.no_grad():
        for path, parts in sorted(mlx_modules(adapter).items()):
            module = named[path]
            weight = module.weight.double()
            delta = scale * (parts["lora_a"].double() @ parts["lora_b"].double())
            merged = weight + (delta if isinstance(module, torch.nn.Embedding) else delta.T)
            if dora:
                merged = (parts["m"].double() / merged.norm(dim=1)).unsqueeze(1) * merged
            module.weight.copy_(merged.float())
    return model


@functools.cache
def expected_logits(case: str) -> torch.Tensor:
    return logits(hand_merged(case))


@functools.cache
def base_logits() -> torch.Tensor:
    return logits(load_base())


def tolerance_for(case: str) -> float:
    adapter = ADAPTERS[case]
    if adapter["dtype"] == "float32":
        return F32_TOLERANCE
    # A model run in bfloat16 rounds every activation to 8 significant bits, whoever computes it.
    # Measure that noise on the reference itself (the hand-merged model cast to bfloat16, against float32)
    # and allow PEFT four times it: PEFT adds the adapter in a different order, so its rounding differs,
    # but not in size.
    noisy = logits(copy.deepcopy(hand_merged(case)).to(getattr(torch, adapter["dtype"])))
    return 4 * float((noisy - expected_logits(case)).abs().max())


def max_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.double() - b.double()).abs().max())


@pytest.mark.parametrize("case", sorted(ADAPTERS))
def test_peft_loads_the_adapter_as_mlx_trained_it(case: str) -> None:
    adapter = ADAPTERS[case]
    dtype = getattr(torch, adapter["dtype"])
    tolerance = tolerance_for(case)
    expected = expected_logits(case)
    effect = max_difference(expected, base_logits())
    assert effect > MIN_EFFECT_OVER_TOLERANCE * tolerance, (
        f"the {case} adapter moves the logits by only {effect:.3g}, too little for a tolerance of "
        f"{tolerance:.3g} to tell a right conversion from a wrong one: make its weights larger"
    )

    model = loading(
        f"PeftModel.from_pretrained(<{BASE} in {adapter['dtype']}>, {adapter['repo']!r})",
        lambda: PeftModel.from_pretrained(load_base(dtype), adapter["repo"]).eval(),
    )
    got = logits(model)

    if dtype == torch.float32:
        # Which module is wrong, when one is: PEFT's own merge against the hand merge, weight by weight.
        merged = model.merge_and_unload().state_dict()
        reference = hand_merged(case).state_dict()
        wrong = {
            name: max_difference(merged[name], reference[name])
            for name in reference
            if max_difference(merged[name], reference[name]) > F32_TOLERANCE
        }
        assert not wrong, (
            f"{adapter['repo']}: after PeftModel.merge_and_unload() these weights differ from the MLX adapter "
            f"merged by hand (W + scale·(A·B)ᵀ{', DoRA-rescaled' if 'dora' in case else ''}), max |Δ| each: {wrong}"
        )
    error = max_difference(got, expected)
    assert error <= tolerance, (
        f"{adapter['repo']} loaded with PeftModel.from_pretrained on {BASE} ({adapter['dtype']}): logits differ "
        f"from the MLX adapter merged by hand by {error:.3g} (tolerance {tolerance:.3g}; the adapter itself "
        f"moves them by {effect:.3g})"
    )


@pytest.mark.parametrize("case", sorted(c for c, a in ADAPTERS.items() if a["dtype"] == "float32"))
def test_auto_peft_fetches_the_base_by_the_id_in_adapter_config(case: str) -> None:
    adapter = ADAPTERS[case]
    model = loading(
        f"AutoPeftModelForCausalLM.from_pretrained({adapter['repo']!r})",
        lambda: AutoPeftModelForCausalLM.from_pretrained(adapter["repo"]).eval(),
    )
    assert model.peft_config["default"].base_model_name_or_path == BASE
    error = max_difference(logits(model), expected_logits(case))
    assert error <= F32_TOLERANCE, (
        f"AutoPeftModelForCausalLM.from_pretrained({adapter['repo']!r}): logits differ from the MLX adapter "
        f"merged by hand by {error:.3g} (tolerance {F32_TOLERANCE:.3g})"
    )


@pytest.mark.parametrize("case", sorted(FUSED))
def test_transformers_loads_the_fused_model_with_the_saved_tensors(case: str) -> None:
    fused = FUSED[case]
    run = Path(fused["run"])
    saved: dict[str, torch.Tensor] = {}
    for shard in sorted(run.glob("*.safetensors")):
        saved.update(load_file(shard))

    model = loading(
        f"AutoModelForCausalLM.from_pretrained({fused['repo']!r})",
        lambda: AutoModelForCausalLM.from_pretrained(fused["repo"]),
    )
    loaded = model.state_dict()

    assert sorted(loaded) == sorted(saved), (
        f"{fused['repo']}: transformers built tensors {sorted(set(loaded) - set(saved))} that the run does not "
        f"have and lacks {sorted(set(saved) - set(loaded))}"
    )
    different = [
        name
        for name, tensor in saved.items()
        if loaded[name].dtype != tensor.dtype or not torch.equal(loaded[name], tensor)
    ]
    assert not different, f"{fused['repo']}: these tensors differ from the run's safetensors once loaded: {different}"

    hub_tokenizer = loading(
        f"AutoTokenizer.from_pretrained({fused['repo']!r})", lambda: AutoTokenizer.from_pretrained(fused["repo"])
    )
    run_tokenizer = AutoTokenizer.from_pretrained(run)
    text = "webauthn: verify the origin, then the challenge!"
    assert hub_tokenizer(text).input_ids == run_tokenizer(text).input_ids
    messages = [{"role": "user", "content": "fix it"}]
    assert hub_tokenizer.apply_chat_template(messages, tokenize=False) == run_tokenizer.apply_chat_template(
        messages, tokenize=False
    )


@pytest.mark.parametrize("case", sorted(DATASETS))
def test_load_dataset_gives_the_runs_splits_and_rows(case: str) -> None:
    dataset = DATASETS[case]
    loaded = loading(f"datasets.load_dataset({dataset['repo']!r})", lambda: datasets.load_dataset(dataset["repo"]))
    assert sorted(loaded) == sorted(dataset["splits"]), (
        f"load_dataset({dataset['repo']!r}) gives splits {sorted(loaded)}, the run has {sorted(dataset['splits'])}"
    )
    for split, file in dataset["splits"].items():
        rows = [json.loads(line) for line in Path(file).read_text(encoding="utf-8").splitlines() if line.strip()]
        assert loaded[split].num_rows == len(rows), (
            f"{dataset['repo']} split {split}: {loaded[split].num_rows} rows, {file} has {len(rows)}"
        )
        assert list(loaded[split]["messages"]) == [row["messages"] for row in rows], (
            f"{dataset['repo']} split {split}: the rows are not those of {file}"
        )


def sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


@pytest.mark.parametrize("key", sorted(REPOS))
def test_snapshot_download_is_byte_identical_to_what_was_published(key: str, tmp_path: Path) -> None:
    repo = REPOS[key]
    folder = Path(
        loading(
            f"snapshot_download({repo['repo']!r}, repo_type={repo['type']!r})",
            lambda: snapshot_download(repo["repo"], repo_type=repo["type"], local_dir=tmp_path / "snapshot"),
        )
    )
    downloaded = {
        file.relative_to(folder).as_posix(): file
        for file in folder.rglob("*")
        if file.is_file() and ".cache" not in file.relative_to(folder).parts
    }
    stored = {file["path"]: file for file in repo["stored"]}

    assert sorted(downloaded) == sorted(stored), (
        f"snapshot_download({repo['repo']!r}) gave {sorted(downloaded)}; the Hub holds {sorted(stored)}"
    )
    # .gitattributes is the Hub's own (every repo starts with it, in its "initial commit"), never ours.
    ours = sorted(path for path in stored if path != ".gitattributes")
    assert ours == sorted(repo["published"]), (
        f"{repo['repo']}: the Hub holds {ours} besides .gitattributes, process-artifacts reported {sorted(repo['published'])}"
    )
    differing = [
        path
        for path, file in downloaded.items()
        if file.stat().st_size != stored[path]["size"] or sha256(file) != stored[path]["sha256"]
    ]
    assert not differing, f"{repo['repo']}: downloaded bytes differ from the Hub's stored sha256 for {differing}"
    not_the_runs = [
        f"{path} (expected {local})"
        for path, local in repo["fromRun"].items()
        if downloaded[path].read_bytes() != Path(local).read_bytes()
    ]
    assert not not_the_runs, f"{repo['repo']}: not byte for byte the run's files: {not_the_runs}"


@pytest.mark.parametrize("repo", sorted(CARDS))
def test_model_card_metadata_names_the_base_and_the_dataset(repo: str) -> None:
    card = CARDS[repo]
    data = loading(f"ModelCard.load({repo!r})", lambda: ModelCard.load(repo)).data
    assert data.base_model == BASE, f"{repo}: card base_model is {data.base_model!r}, the run's base is {BASE!r}"
    assert data.library_name == card["library"], (
        f"{repo}: card library_name is {data.library_name!r}; {card['library']!r} is what loads it"
    )
    if card["dataset"] is not None:
        assert card["dataset"] in (data.datasets or []), f"{repo}: card datasets {data.datasets} lack {card['dataset']}"


@pytest.mark.parametrize("repo", sorted(CARDS))
def test_the_cards_code_runs_and_generates_text(repo: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every Python snippet of the card is valid Python; those for transformers and PEFT run as written.

    The mlx-lm snippets need Apple silicon, so they are only compiled here.
    """
    text = loading(f"ModelCard.load({repo!r})", lambda: ModelCard.load(repo)).text
    blocks = [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]
    assert blocks, f"{repo}: the card has no Python snippet"
    ran = 0
    for block in blocks:
        code = compile(block, f"<{repo} README.md snippet>", "exec")
        if "mlx_lm" in block:
            continue
        try:
            exec(code, {"__name__": "__card__"})  # noqa: S102 - the card's own snippet, as a user runs it
        except Exception as error:  # noqa: BLE001 - any failure is what a user would hit
            raise AssertionError(f"{repo}: the card's snippet failed: {type(error).__name__}: {error}\n{block}") from error
        ran += 1
        assert capsys.readouterr().out.endswith("\n"), f"{repo}: the snippet printed no generated text"
    assert ran >= 1, f"{repo}: no transformers or PEFT snippet to run"
