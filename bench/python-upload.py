"""The reference client for `npm run bench`: huggingface_hub's upload_folder, as a user would call it.

    python3 bench/python-upload.py <hub url> <token> <repo id> <folder>

Needs huggingface_hub on PYTHONPATH (the bench sets it from BENCH_HF_HUB_SRC) and HF_HUB_DISABLE_XET=1.
"""

import sys

from huggingface_hub import HfApi

endpoint, token, repo_id, folder = sys.argv[1:5]
api = HfApi(endpoint=endpoint, token=token)
api.create_repo(repo_id=repo_id, exist_ok=True)
api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="Upload from the benchmark")
