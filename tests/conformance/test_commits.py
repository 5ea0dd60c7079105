"""Commits as the Hub takes them: LFS by .gitattributes, copies, path rules, card metadata, conflicts, deletions."""

import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationCopy, CommitOperationDelete, constants
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError


@pytest.fixture(autouse=True, params=["xet", "lfs"])
def upload_path(request, monkeypatch):
    """Every commit goes through Xet (today's default client) and through LFS (HF_HUB_DISABLE_XET=1, older clients)."""
    if request.param == "lfs":
        monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    return request.param


def lfs_files(api, repo_id, revision=None):
    info = api.model_info(repo_id, revision=revision, files_metadata=True)
    return {sibling.rfilename for sibling in info.siblings if sibling.lfs is not None}


def gitattributes(api, repo_id, revision=None):
    return open(api.hf_hub_download(repo_id, ".gitattributes", revision=revision)).read()


def test_uploads_read_back_byte_for_byte_and_the_rules_decide_lfs(api, repo_id, tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "weights.bin").write_bytes(bytes(1024))
    (tmp_path / "notes.md").write_text("notes")
    (tmp_path / "empty.pkl").write_bytes(b"")

    info = api.upload_folder(folder_path=tmp_path, repo_id=repo_id, path_in_repo="dir")

    assert info.oid == api.model_info(repo_id).sha
    assert open(api.hf_hub_download(repo_id, "dir/notes.md")).read() == "notes"
    assert open(api.hf_hub_download(repo_id, "dir/nested/weights.bin"), "rb").read() == bytes(1024)
    # *.bin is an LFS rule of the template; an empty file is regular whatever the rules say.
    assert lfs_files(api, repo_id) == {"dir/nested/weights.bin"}
    assert api.upload_folder(folder_path=tmp_path, repo_id=repo_id, path_in_repo="dir").oid == info.oid


def test_gitattributes_rules_make_small_files_lfs(api, repo_id):
    api.upload_file(
        repo_id=repo_id, path_in_repo=".gitattributes", path_or_fileobj=b"*.png filter=lfs diff=lfs merge=lfs -text\n"
    )
    api.upload_file(repo_id=repo_id, path_in_repo="image.png", path_or_fileobj=b"image data")
    api.upload_file(repo_id=repo_id, path_in_repo="model.bin", path_or_fileobj=b"no rule for bin anymore")

    assert lfs_files(api, repo_id) == {"image.png"}


def test_a_large_file_no_rule_covers_gets_its_own_gitattributes_line(api, repo_id):
    big = b"x" * (10 * 1024 * 1024 + 1)
    api.upload_file(repo_id=repo_id, path_in_repo="big log.txt", path_or_fileobj=big)

    assert lfs_files(api, repo_id) == {"big log.txt"}
    assert "big[[:space:]]log.txt filter=lfs diff=lfs merge=lfs -text\n" in gitattributes(api, repo_id)


def test_copies_of_regular_and_lfs_files(api, repo_id):
    api.create_commit(
        repo_id=repo_id,
        commit_message="originals",
        operations=[
            CommitOperationAdd("file.txt", b"regular"),
            CommitOperationAdd("lfs.bin", b"lfs content"),
        ],
    )
    api.create_commit(
        repo_id=repo_id,
        commit_message="copies",
        operations=[
            CommitOperationCopy(src_path_in_repo="file.txt", path_in_repo="copy/file.txt"),
            CommitOperationCopy(src_path_in_repo="lfs.bin", path_in_repo="copy/lfs.bin"),
        ],
    )

    assert open(api.hf_hub_download(repo_id, "copy/lfs.bin"), "rb").read() == b"lfs content"
    assert open(api.hf_hub_download(repo_id, "copy/file.txt")).read() == "regular"
    assert lfs_files(api, repo_id) == {"lfs.bin", "copy/lfs.bin"}


@pytest.mark.parametrize("path", ["..\\ddd", "a\\b.txt", "dir/.git/config"])
def test_paths_the_hub_refuses_are_422(api, repo_id, path):
    with pytest.raises(HfHubHTTPError) as error:
        api.create_commit(
            repo_id=repo_id,
            commit_message="bad path",
            operations=[_unchecked_add(path)],
        )
    assert error.value.response.status_code == 422


def _unchecked_add(path):
    """An addition the client does not check itself (it refuses .git paths before sending)."""
    operation = CommitOperationAdd("placeholder.txt", b"content")
    operation.path_in_repo = path
    return operation


def test_card_metadata_is_checked_before_anything_is_sent(api, repo_id):
    with pytest.raises(ValueError, match="Invalid metadata in README.md"):
        api.upload_file(repo_id=repo_id, path_in_repo="README.md", path_or_fileobj=b"\n---\nmodel-index: foo\n---\n")
    with pytest.warns(UserWarning, match="empty or missing yaml metadata"):
        api.upload_file(repo_id=repo_id, path_in_repo="README.md", path_or_fileobj=b"No metadata here")
    assert "README.md" in api.list_repo_files(repo_id)


def test_a_stale_parent_commit_is_412_with_the_hubs_words(api, repo_id):
    parent = api.model_info(repo_id).sha
    api.upload_file(repo_id=repo_id, path_in_repo="a.txt", path_or_fileobj=b"first")

    with pytest.raises(HfHubHTTPError) as error:
        api.create_commit(
            repo_id=repo_id,
            commit_message="late",
            operations=[CommitOperationAdd("b.txt", b"late")],
            parent_commit=parent,
        )
    assert error.value.response.status_code == 412
    assert "The branch was updated since you opened this page. Please refresh and try again." in str(error.value)


def test_deleting_files_and_folders_with_or_without_a_slash(api, repo_id):
    api.create_commit(
        repo_id=repo_id,
        commit_message="tree",
        operations=[
            CommitOperationAdd(path, b"data")
            for path in ["keep.txt", "one/a.txt", "one/b.bin", "two/c.txt", "three/d.txt", "nested/x/y.bin"]
        ],
    )
    api.create_commit(repo_id=repo_id, commit_message="slash", operations=[CommitOperationDelete("one/")])
    api.create_commit(repo_id=repo_id, commit_message="no slash", operations=[CommitOperationDelete("two")])
    api.delete_folder("three", repo_id=repo_id)
    api.delete_files(repo_id=repo_id, delete_patterns=["nested/*", "not-there"])

    assert sorted(api.list_repo_files(repo_id)) == [".gitattributes", "keep.txt"]
    with pytest.raises(EntryNotFoundError):
        api.hf_hub_download(repo_id, "one/a.txt")
    with pytest.raises(EntryNotFoundError):
        api.delete_file("missing.txt", repo_id=repo_id)


def test_gitignore_in_the_repo_or_in_the_upload_keeps_files_out(api, repo_id, tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "skip.txt").write_text("skip")
    (tmp_path / "kept.txt").write_text("kept")
    (tmp_path / ".gitignore").write_text("nested/*\n")

    api.upload_folder(folder_path=tmp_path, repo_id=repo_id)

    assert sorted(api.list_repo_files(repo_id)) == [".gitattributes", ".gitignore", "kept.txt"]


def test_unchanged_files_make_no_commit(api, repo_id):
    operations = [CommitOperationAdd("file.txt", b"same"), CommitOperationAdd("lfs.bin", b"same lfs")]
    first = api.create_commit(repo_id=repo_id, commit_message="first", operations=operations)

    again = api.create_commit(
        repo_id=repo_id,
        commit_message="again",
        operations=[CommitOperationAdd("file.txt", b"same"), CommitOperationAdd("lfs.bin", b"same lfs")],
    )

    assert again.oid == first.oid
    assert [c.title for c in api.list_repo_commits(repo_id)] == ["first", "initial commit"]
