"""The reference client for `npm run bench`: huggingface_hub's upload_folder, as a user would call it.

    python bench/python-upload.py <hub url> <token> <repo id> <folder>

With hf_xet installed (as a default pip install has it) it uploads through Xet; HF_HUB_DISABLE_XET=1
makes it use LFS. With BENCH_RSS_FILE set, writes the process's peak resident memory (bytes) there.
"""

import atexit
import os
import resource
import sys

from huggingface_hub import HfApi


def report_rss() -> None:
    target = os.environ.get("BENCH_RSS_FILE")
    if target:
        with open(target, "w") as out:
            # Linux reports kilobytes.
            out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


atexit.register(report_rss)
endpoint, token, repo_id, folder = sys.argv[1:5]
api = HfApi(endpoint=endpoint, token=token)
api.create_repo(repo_id=repo_id, exist_ok=True)
api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="Upload from the benchmark")
