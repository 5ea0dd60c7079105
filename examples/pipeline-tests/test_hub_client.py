"""Testing your own code that talks to the Hub, with huggingface_hub and pytest.

`process-artifacts-hub` is a local Hub for any client: point HfApi at it. It serves Xet storage, so a
default `pip install huggingface_hub` (which brings hf_xet) uploads and downloads through Xet with no switch.
"""

import json, subprocess
import pytest
from huggingface_hub import HfApi

@pytest.fixture(scope="session")
def hub():
    process = subprocess.Popen(["process-artifacts-hub", "--port", "0"], stdout=subprocess.PIPE, text=True)
    yield json.loads(process.stdout.readline())
    process.terminate()
    process.wait(timeout=10)

def test_publish(hub):
    api = HfApi(endpoint=hub["url"], token=hub["token"])
    repo = api.create_repo(f"{hub['user']}/my-model").repo_id
    api.upload_file(repo_id=repo, path_in_repo="weights.bin", path_or_fileobj=b"\x00weights")

    assert open(api.hf_hub_download(repo, "weights.bin"), "rb").read() == b"\x00weights"
    assert [c.title for c in api.list_repo_commits(repo)] == ["Upload weights.bin with huggingface_hub", "initial commit"]
    info = api.get_paths_info(repo, ["weights.bin"])[0]
    assert info.lfs is not None and info.xet_hash  # *.bin: LFS by the repo's .gitattributes, stored in Xet
