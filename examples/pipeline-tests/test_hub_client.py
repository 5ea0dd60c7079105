"""Testing your own code that talks to the Hub, with huggingface_hub and pytest.

`process-artifacts-hub` is a local Hub for any client: point HfApi at it. Until it serves Xet, uploads need
Xet off (a default `pip install huggingface_hub` brings hf_xet, which would send them through Xet).
"""

import json, subprocess
import pytest
from huggingface_hub import HfApi, constants

@pytest.fixture(scope="session")
def hub():
    process = subprocess.Popen(["process-artifacts-hub", "--port", "0"], stdout=subprocess.PIPE, text=True)
    yield json.loads(process.stdout.readline())
    process.terminate()
    process.wait(timeout=10)

def test_publish(hub, monkeypatch):
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)  # until the emulator serves Xet
    api = HfApi(endpoint=hub["url"], token=hub["token"])
    repo = api.create_repo(f"{hub['user']}/my-model").repo_id
    api.upload_file(repo_id=repo, path_in_repo="weights.bin", path_or_fileobj=b"\x00weights")

    assert open(api.hf_hub_download(repo, "weights.bin"), "rb").read() == b"\x00weights"
    assert [c.title for c in api.list_repo_commits(repo)] == ["Upload weights.bin with huggingface_hub", "initial commit"]
    assert api.get_paths_info(repo, ["weights.bin"])[0].lfs is not None  # *.bin: the repo's .gitattributes
