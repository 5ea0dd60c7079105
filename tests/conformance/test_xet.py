"""Xet storage under the real client (huggingface_hub + hf_xet), as huggingface_hub's own Xet tests use it.

What tests/test_xet_upload.py and tests/test_xet_download.py of huggingface_hub check against the Hub, checked
here against the emulator: which path each upload takes (Xet, or LFS for what hf_xet cannot read), the Xet
metadata of a stored file, byte-for-byte downloads through Xet (hf_hub_download, snapshot_download, hf_xet's
own session, by range), the download cache, files uploaded one way and read the other, dedup of known chunks
across repos, and storage buckets.
"""

import hashlib
import os
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from unittest.mock import patch

import pytest
from huggingface_hub import HfFileSystem, constants, hf_hub_download, snapshot_download, try_to_load_from_cache
from huggingface_hub._commit_api import CommitOperationAdd, _upload_lfs_files, _upload_xet_files
from huggingface_hub.errors import BucketNotFoundError
from huggingface_hub.file_download import get_hf_file_metadata, hf_hub_url, http_get, xet_get

MIB = 1024 * 1024


@contextmanager
def upload_path(expected: str):
    """Asserts that the uploads in the block went through `expected` ("xet" or "lfs") and not the other way."""
    with patch("huggingface_hub._commit_api._upload_xet_files", wraps=_upload_xet_files) as xet:
        with patch("huggingface_hub._commit_api._upload_lfs_files", wraps=_upload_lfs_files) as lfs:
            yield
    assert (xet.called, lfs.called) == (expected == "xet", expected == "lfs")


@contextmanager
def download_path(expected: str):
    """Asserts that the downloads in the block went through `expected` ("xet" or "http") and not the other way."""
    with patch("huggingface_hub.file_download.xet_get", wraps=xet_get) as through_xet:
        with patch("huggingface_hub.file_download.http_get", wraps=http_get) as through_http:
            yield
    assert (through_xet.called, through_http.called) == (expected == "xet", expected == "http")


def download(api, repo_id, filename, **kwargs) -> bytes:
    return Path(hf_hub_download(repo_id, filename, endpoint=api.endpoint, token=api.token, **kwargs)).read_bytes()


def test_a_file_from_a_path_or_bytes_goes_up_and_comes_down_through_xet(api, hub, repo_id, tmp_path):
    weights = os.urandom(MIB)
    (tmp_path / "weights.bin").write_bytes(weights)
    blob = os.urandom(300_000)

    with upload_path("xet"):
        url = api.upload_file(path_or_fileobj=tmp_path / "weights.bin", path_in_repo="weights.bin", repo_id=repo_id)
        api.upload_file(path_or_fileobj=blob, path_in_repo="blob.bin", repo_id=repo_id)

    assert url.startswith(f"{hub['url']}/{repo_id}/commit/")
    with download_path("xet"):
        assert download(api, repo_id, "weights.bin", cache_dir=tmp_path / "cache") == weights
        assert download(api, repo_id, "blob.bin", cache_dir=tmp_path / "cache") == blob
    metadata = get_hf_file_metadata(hf_hub_url(repo_id, "weights.bin", endpoint=hub["url"]), token=hub["token"])
    listed = {entry.path: entry for entry in api.list_repo_tree(repo_id)}
    assert metadata.xet_file_data.file_hash == listed["weights.bin"].xet_hash
    # The refresh route is the repo's read-token route at the commit the file was read at.
    assert metadata.xet_file_data.refresh_route == (
        f"{hub['url']}/api/models/{repo_id}/xet-read-token/{metadata.commit_hash}"
    )


def test_what_hf_xet_cannot_read_goes_through_lfs_and_still_downloads_through_xet(api, repo_id, tmp_path):
    buffered = os.urandom(400_000)
    fallback = os.urandom(500_000)
    (tmp_path / "fallback.bin").write_bytes(fallback)

    # A buffered reader is not something hf_xet reads: huggingface_hub negotiates plain LFS for it.
    with upload_path("lfs"):
        api.upload_file(path_or_fileobj=BytesIO(buffered), path_in_repo="buffered.bin", repo_id=repo_id)
    # Without hf_xet (or with it unusable) every upload falls back to LFS.
    with patch("huggingface_hub._commit_api.is_xet_available", return_value=False), upload_path("lfs"):
        api.upload_file(path_or_fileobj=tmp_path / "fallback.bin", path_in_repo="fallback.bin", repo_id=repo_id)

    with download_path("xet"):
        assert download(api, repo_id, "buffered.bin", cache_dir=tmp_path / "cache") == buffered
        assert download(api, repo_id, "fallback.bin", cache_dir=tmp_path / "cache") == fallback


def test_files_uploaded_with_xet_off_download_with_it_on_and_the_other_way_round(api, repo_id, tmp_path, monkeypatch):
    through_lfs = os.urandom(600_000)
    through_xet = os.urandom(700_000)
    with patch.object(constants, "HF_HUB_DISABLE_XET", True), upload_path("lfs"):
        api.upload_file(path_or_fileobj=through_lfs, path_in_repo="lfs.bin", repo_id=repo_id)
    with upload_path("xet"):
        api.upload_file(path_or_fileobj=through_xet, path_in_repo="xet.bin", repo_id=repo_id)

    with download_path("xet"):
        assert download(api, repo_id, "lfs.bin", cache_dir=tmp_path / "on") == through_lfs
        assert download(api, repo_id, "xet.bin", cache_dir=tmp_path / "on") == through_xet
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    with download_path("http"):
        assert download(api, repo_id, "lfs.bin", cache_dir=tmp_path / "off") == through_lfs
        assert download(api, repo_id, "xet.bin", cache_dir=tmp_path / "off") == through_xet


@pytest.mark.parametrize("create_pr", [False, True])
def test_upload_folder_streams_nested_files_through_xet(api, repo_id, tmp_path, create_pr):
    folder = tmp_path / "folder"
    (folder / "nested").mkdir(parents=True)
    files = {
        "notes.txt": b"a regular text file",
        "weights.bin": os.urandom(MIB),
        "nested/notes.txt": b"a nested text file",
        "nested/model.safetensors": os.urandom(MIB),
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    from huggingface_hub.utils._xet import get_xet_session

    session = get_xet_session()
    with patch("huggingface_hub._upload_pipeline.get_xet_session", return_value=session) as streamed:
        info = api.upload_folder(folder_path=folder, path_in_repo="up", repo_id=repo_id, create_pr=create_pr)

    assert streamed.called
    revision = info.pr_revision if create_pr else None
    assert (revision is not None) == create_pr
    assert {f"up/{name}" for name in files} <= set(api.list_repo_files(repo_id, revision=revision))
    for name, content in files.items():
        assert download(api, repo_id, f"up/{name}", revision=revision, cache_dir=tmp_path / "cache") == content


def test_many_small_files_in_one_commit_and_with_the_large_folder_uploader(api, repo_id, tmp_path, monkeypatch):
    # Its idle workers sleep 10 s between polls: a client pause, not the Hub's time.
    monkeypatch.setattr("huggingface_hub._upload_large_folder.WAITING_TIME_IF_NO_TASKS", 0.1)
    folder = tmp_path / "many"
    for i in range(4):
        (folder / f"part_{i}").mkdir(parents=True)
        for j in range(4):
            (folder / f"part_{i}" / f"data_{i}_{j}.bin").write_bytes(f"binary {i} {j}".encode())
            (folder / f"part_{i}" / f"text_{i}_{j}.txt").write_bytes(f"text {i} {j}".encode())
    with upload_path("xet"), pytest.warns(FutureWarning, match="upload_large_folder"):
        api.upload_large_folder(repo_id=repo_id, repo_type="model", folder_path=folder, num_workers=2)
    api.create_commit(
        repo_id,
        operations=[CommitOperationAdd(f"flat/{i}.bin", f"flat {i}".encode()) for i in range(100)],
        commit_message="one commit, many files",
    )

    local = Path(snapshot_download(repo_id, endpoint=api.endpoint, token=api.token, local_dir=tmp_path / "snap"))
    for i in range(4):
        for j in range(4):
            assert (local / f"part_{i}" / f"data_{i}_{j}.bin").read_bytes() == f"binary {i} {j}".encode()
            assert (local / f"part_{i}" / f"text_{i}_{j}.txt").read_bytes() == f"text {i} {j}".encode()
    for i in range(100):
        assert (local / "flat" / f"{i}.bin").read_bytes() == f"flat {i}".encode()
    xet_hashes = {entry.path: entry.xet_hash for entry in api.list_repo_tree(repo_id, "part_0")}
    assert xet_hashes["part_0/data_0_0.bin"] is not None


def test_known_chunks_are_not_sent_again_even_to_another_repo(api, hub, repo_id, tmp_path, monkeypatch):
    import hf_xet

    original = os.urandom(4 * MIB)
    changed = original[: 3 * MIB] + os.urandom(MIB)
    api.upload_file(path_or_fileobj=original, path_in_repo="v1.bin", repo_id=repo_id)
    other = api.create_repo(f"{repo_id}-other").repo_id
    # A fresh local cache: what is not sent is what the CAS answered it already holds (global dedup).
    monkeypatch.setenv("HF_XET_CACHE", str(tmp_path / "fresh-xet-cache"))
    commit = hf_xet.XetSession().new_upload_commit(
        token_refresh_url=f"{hub['url']}/api/models/{other}/xet-write-token/main",
        token_refresh_headers={"authorization": f"Bearer {hub['token']}"},
    )
    handle = commit.start_upload_bytes(changed, sha256=hf_xet.COMPUTE_SHA256)
    report = commit.wait_to_finish()

    metrics = report.dedup_metrics
    assert metrics.total_bytes == len(changed)
    assert metrics.deduped_bytes_by_global_dedup > 2 * MIB
    assert MIB <= metrics.xorb_bytes_uploaded < 1.3 * MIB
    # The file is whole in the CAS: committing it by its SHA-256 needs no more bytes, and it reads back.
    assert handle.result().xet_info.sha256 == hashlib.sha256(changed).hexdigest()
    api.upload_file(path_or_fileobj=changed, path_in_repo="v2.bin", repo_id=other)
    assert download(api, other, "v2.bin", cache_dir=tmp_path / "cache") == changed
    api.delete_repo(other)


def test_the_download_cache_is_used_skipped_on_demand_and_kept_out_of_a_local_dir(api, repo_id, tmp_path):
    content = os.urandom(MIB)
    api.upload_file(path_or_fileobj=content, path_in_repo="model.safetensors", repo_id=repo_id)
    cache = tmp_path / "cache"
    kwargs = {"endpoint": api.endpoint, "token": api.token, "cache_dir": cache}

    assert try_to_load_from_cache(repo_id, "model.safetensors", cache_dir=cache) is None
    with download_path("xet"):
        first = hf_hub_download(repo_id, "model.safetensors", **kwargs)
    assert try_to_load_from_cache(repo_id, "model.safetensors", cache_dir=cache) == first
    with patch("huggingface_hub.file_download._download_to_tmp_and_move") as fetched:
        assert hf_hub_download(repo_id, "model.safetensors", **kwargs) == first
    fetched.assert_not_called()
    with download_path("xet"):
        assert hf_hub_download(repo_id, "model.safetensors", force_download=True, **kwargs) == first
    assert Path(first).read_bytes() == content

    local = tmp_path / "local"
    placed = hf_hub_download(repo_id, "model.safetensors", local_dir=local, **kwargs | {"cache_dir": tmp_path / "c2"})
    assert local in Path(placed).parents and Path(placed).read_bytes() == content
    cached = [p for p in (tmp_path / "c2").glob("**/*") if p.is_file() and {"blobs", "snapshots"} & set(p.parts)]
    assert cached == []


def test_snapshot_download_through_xet_then_from_the_cache(api, repo_id, tmp_path):
    files = {"a.bin": os.urandom(300_000), "sub/b.safetensors": os.urandom(200_000), "c.txt": b"text"}
    api.upload_folder(folder_path=_folder(tmp_path / "src", files), repo_id=repo_id)
    kwargs = {"endpoint": api.endpoint, "token": api.token, "cache_dir": tmp_path / "cache"}

    with patch("huggingface_hub.file_download.xet_get", wraps=xet_get) as through_xet:
        first = snapshot_download(repo_id, **kwargs)
    assert through_xet.call_count == 2  # the two LFS files; the text file is a regular git file
    with patch("huggingface_hub.file_download.xet_get") as again:
        assert snapshot_download(repo_id, **kwargs) == first
    again.assert_not_called()
    for name, content in files.items():
        assert (Path(first) / name).read_bytes() == content


def test_hf_xet_reads_a_file_whole_or_by_range_with_the_refresh_route_of_its_metadata(api, hub, repo_id, tmp_path):
    from hf_xet import XetFileInfo, XetSession

    content = os.urandom(3 * MIB)
    api.upload_file(path_or_fileobj=content, path_in_repo="w.bin", repo_id=repo_id)
    metadata = get_hf_file_metadata(hf_hub_url(repo_id, "w.bin", endpoint=hub["url"]), token=hub["token"])
    headers = {"authorization": f"Bearer {hub['token']}"}
    info = XetFileInfo(metadata.xet_file_data.file_hash, metadata.size)

    target = tmp_path / "w.bin"
    with XetSession().new_file_download_group(
        token_refresh_url=metadata.xet_file_data.refresh_route, token_refresh_headers=headers
    ) as group:
        group.start_download_file(info, str(target))
    assert target.read_bytes() == content

    streams = XetSession().new_download_stream_group(
        token_refresh_url=metadata.xet_file_data.refresh_route, token_refresh_headers=headers
    )
    for start, end in [(0, 10), (MIB - 5, 2 * MIB + 7), (3 * MIB - 100, None)]:
        assert b"".join(streams.download_stream(info, start=start, end=end)) == content[start:end]


def test_hf_file_system_reads_ranges_of_a_xet_file(api, hub, repo_id):
    content = os.urandom(2 * MIB)
    api.upload_file(path_or_fileobj=content, path_in_repo="data/w.bin", repo_id=repo_id)
    fs = HfFileSystem(endpoint=hub["url"], token=hub["token"])

    listed = {entry["name"]: entry for entry in fs.ls(f"{repo_id}/data")}
    assert listed[f"{repo_id}/data/w.bin"]["xet_hash"] is not None
    with fs.open(f"{repo_id}/data/w.bin", "rb", block_size=64 * 1024) as f:
        f.seek(MIB + 3)
        assert f.read(100_000) == content[MIB + 3 : MIB + 100_003]
    assert fs.read_bytes(f"{repo_id}/data/w.bin", start=10, end=5000) == content[10:5000]


def test_bucket_files_go_through_xet_and_are_listed_and_downloaded(api, hub, tmp_path):
    bucket = api.create_bucket(f"ckpt-{os.urandom(4).hex()}").bucket_id
    assert bucket.startswith(f"{hub['user']}/")
    (tmp_path / "step1.bin").write_bytes(step1 := os.urandom(500_000))

    api.batch_bucket_files(bucket, add=[(str(tmp_path / "step1.bin"), "ckpt/step1.bin"), (b"{}", "config.json")])

    tree = {entry.path: entry for entry in api.list_bucket_tree(bucket)}
    assert set(tree) == {"ckpt/step1.bin", "config.json"}
    assert tree["ckpt/step1.bin"].size == len(step1) and tree["ckpt/step1.bin"].xet_hash
    assert api.bucket_info(bucket).total_files == 2
    out = tmp_path / "out"
    api.download_bucket_files(bucket, [("ckpt/step1.bin", out / "step1.bin"), ("config.json", out / "c.json")])
    assert (out / "step1.bin").read_bytes() == step1
    assert (out / "c.json").read_bytes() == b"{}"

    api.batch_bucket_files(bucket, delete=["config.json"])
    assert [entry.path for entry in api.list_bucket_tree(bucket)] == ["ckpt/step1.bin"]
    api.delete_bucket(bucket)
    with pytest.raises(BucketNotFoundError):
        api.bucket_info(bucket)


def _folder(root: Path, files: dict) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root
