"""Testing a pipeline step that calls process-artifacts, with pytest.

Under a test runner process-artifacts refuses to upload to the real Hub, so each test starts its own
local Hub (`process-artifacts-hub`, installed with process-artifacts), points HF_ENDPOINT and HF_TOKEN
at it, and reads back what was published. Nothing leaves the machine.
"""

import hashlib
import json
import os
import struct
import subprocess
import urllib.request
from pathlib import Path

import pytest

RUN = "webauthn-security-sequential_20250926_120000"


@pytest.fixture
def hub():
    """A fresh local Hub for one test: {"url", "token", "user", "data"}; stopped (and its data removed) after."""
    process = subprocess.Popen(["process-artifacts-hub", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)


def write_mlx_run(models: Path) -> Path:
    """A tiny but real MLX LoRA run, as mlx-lm and the training step write it."""
    adapters = models / RUN / "adapters"
    adapters.mkdir(parents=True)
    rank, hidden = 4, 8
    tensors = {}
    for module in ("q_proj", "v_proj"):
        tensors[f"model.layers.0.self_attn.{module}.lora_a"] = ([hidden, rank], [0.01 * (i % 7 - 3) for i in range(hidden * rank)])
        tensors[f"model.layers.0.self_attn.{module}.lora_b"] = ([rank, hidden], [0.02 * (i % 5 - 2) for i in range(rank * hidden)])
    header, data = {}, b""
    for name, (shape, values) in sorted(tensors.items()):
        blob = struct.pack(f"<{len(values)}f", *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    header_bytes = json.dumps(header).encode()
    (adapters / "adapters.safetensors").write_bytes(struct.pack("<Q", len(header_bytes)) + header_bytes + data)
    config = {"fine_tune_type": "lora", "num_layers": 1, "lora_parameters": {"rank": rank, "dropout": 0.0, "scale": 20.0}}
    (adapters / "adapter_config.json").write_text(json.dumps(config))
    return models / RUN


def get_json(url: str):
    with urllib.request.urlopen(url) as response:
        return json.load(response)


def test_upload_publishes_the_newest_run(hub, tmp_path):
    run = write_mlx_run(tmp_path / "models")
    env = {
        **os.environ,
        "HF_ENDPOINT": hub["url"],
        "HF_TOKEN": hub["token"],
        "HOME": str(tmp_path),
    }

    result = subprocess.run(
        ["process-artifacts", "--only-upload", "--model-dir", str(tmp_path / "models"), "--base-model", "allenai/OLMo-2-0425-1B-Instruct"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    repo_id = f"{hub['user']}/{RUN}"
    repo = next(r for r in get_json(f"{hub['url']}/__emulator/state")["repos"] if r["id"] == repo_id)
    # The Hub's "initial commit" (it holds .gitattributes), then the upload: one commit.
    assert [c["title"] for c in repo["commits"]][0] == "initial commit"
    assert len(repo["commits"]) == 2 and RUN in repo["commits"][1]["title"]
    files = {f["path"]: f for f in repo["files"]}
    assert {"README.md", "adapter_config.json", "adapter_model.safetensors"} <= files.keys()
    # The run's own adapter is published as is, next to the PEFT conversion.
    original = hashlib.sha256((run / "adapters" / "adapters.safetensors").read_bytes()).hexdigest()
    assert original in {f["sha256"] for f in repo["files"]}
    # Read back through the ordinary Hub endpoints, as any client would.
    peft_config = get_json(f"{hub['url']}/{repo_id}/resolve/main/adapter_config.json")
    assert peft_config["peft_type"] == "LORA"
    assert peft_config["base_model_name_or_path"] == "allenai/OLMo-2-0425-1B-Instruct"
