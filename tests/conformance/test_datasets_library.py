"""`datasets.load_dataset` of a dataset repo that process-artifacts published, by id, through HF_ENDPOINT.

The run is a tiny but real MLX LoRA run with its training data; the built CLI publishes it (model and linked
dataset repo) to the emulator, and the datasets library loads the dataset in a process of its own, as a user's
script would, with only HF_ENDPOINT and HF_TOKEN pointing at the emulator.
"""

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI_BIN = os.environ.get("CLI_BIN", str(ROOT / "dist" / "cli" / "bin.js"))
RUN = "webauthn-security-sequential_20250926_120000"
SPLITS = {"train": 6, "valid": 2, "test": 3}


def write_run(models: Path) -> None:
    adapters = models / RUN / "adapters"
    adapters.mkdir(parents=True)
    rank, hidden = 4, 8
    header, data = {}, b""
    for module in ("q_proj", "v_proj"):
        for name, shape in ((f"{module}.lora_a", [hidden, rank]), (f"{module}.lora_b", [rank, hidden])):
            blob = struct.pack(f"<{hidden * rank}f", *[0.01 * (i % 7 - 3) for i in range(hidden * rank)])
            header[f"model.layers.0.self_attn.{name}"] = {
                "dtype": "F32",
                "shape": shape,
                "data_offsets": [len(data), len(data) + len(blob)],
            }
            data += blob
    header_bytes = json.dumps(header).encode()
    (adapters / "adapters.safetensors").write_bytes(struct.pack("<Q", len(header_bytes)) + header_bytes + data)
    config = {"fine_tune_type": "lora", "num_layers": 1, "lora_parameters": {"rank": rank, "dropout": 0.0, "scale": 20.0}}
    (adapters / "adapter_config.json").write_text(json.dumps(config))
    training = models / RUN / "training-data"
    training.mkdir()
    for split, count in SPLITS.items():
        rows = [json.dumps({"text": f"{split} example {i}"}) for i in range(count)]
        (training / f"{split}.jsonl").write_text("\n".join(rows) + "\n")


LOAD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from loopback_only import refuse_non_loopback_connections
refuse_non_loopback_connections()
from datasets import load_dataset
dataset = load_dataset(sys.argv[2])
print(json.dumps({split: [row["text"] for row in rows] for split, rows in dataset.items()}))
"""


def test_load_dataset_reads_the_published_training_data_by_id(hub, tmp_path):
    write_run(tmp_path / "models")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
        "HF_ENDPOINT": hub["url"],
        "HF_TOKEN": hub["token"],
    }
    published = subprocess.run(
        [os.environ.get("NODE", "node"), CLI_BIN, "--only-upload", "--model-dir", str(tmp_path / "models"),
         "--base-model", "allenai/OLMo-2-0425-1B-Instruct"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert published.returncode == 0, published.stderr

    loaded = subprocess.run(
        [sys.executable, "-c", LOAD, str(Path(__file__).parent), f"{hub['user']}/{RUN}-training-data"],
        env={**env, "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1"},
        capture_output=True, text=True, timeout=120,
    )

    assert loaded.returncode == 0, loaded.stderr
    splits = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert splits == {
        "train": [f"train example {i}" for i in range(6)],
        "validation": [f"valid example {i}" for i in range(2)],
        "test": [f"test example {i}" for i in range(3)],
    }
