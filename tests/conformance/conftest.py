"""The Hub emulator under the real python client: one emulator per session, a fresh repo per test.

The emulator is the built `process-artifacts-hub` (dist/emulator/bin.js, or EMULATOR_BIN), started on a free
loopback port. Every connection beyond loopback is refused, and the client's caches live in the test's temp folder.
"""

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from huggingface_hub import HfApi, constants
from loopback_only import refuse_non_loopback_connections

ROOT = Path(__file__).resolve().parents[2]
EMULATOR_BIN = os.environ.get("EMULATOR_BIN", str(ROOT / "dist" / "emulator" / "bin.js"))

refuse_non_loopback_connections()


@pytest.fixture(scope="session")
def hub():
    """The running emulator: {"url", "token", "user", "data"}."""
    process = subprocess.Popen(
        [os.environ.get("NODE", "node"), EMULATOR_BIN, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield json.loads(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def api(hub) -> HfApi:
    return HfApi(endpoint=hub["url"], token=hub["token"])


@pytest.fixture(autouse=True)
def client_state(request, monkeypatch, tmp_path_factory):
    """No token, cache or endpoint of the machine reaches the client (Xet is on, as in a default install)."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # Beside the test's tmp_path, not in it: tests upload their tmp_path.
    home = tmp_path_factory.mktemp("hf-home")
    monkeypatch.setattr(constants, "HF_HOME", str(home))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(home / "hub"))
    monkeypatch.setattr(constants, "HF_XET_CACHE", str(home / "xet"))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(home / "token"))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(home / "stored_tokens"))


def new_repo_id(hub, prefix: str = "repo") -> str:
    return f"{hub['user']}/{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def repo_id(api, hub):
    """A new model repo of the emulator's user, deleted after the test."""
    repo = api.create_repo(new_repo_id(hub)).repo_id
    yield repo
    api.delete_repo(repo, missing_ok=True)


@pytest.fixture
def dataset_id(api, hub):
    """A new dataset repo of the emulator's user, deleted after the test."""
    repo = api.create_repo(new_repo_id(hub, "data"), repo_type="dataset").repo_id
    yield repo
    api.delete_repo(repo, repo_type="dataset", missing_ok=True)
