"""Repos as the Hub makes them: the initial commit, ids without regard to case, privacy, moves, listings."""

import pytest
from conftest import new_repo_id
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError



def test_a_new_repo_starts_with_the_initial_commit_holding_gitattributes(api, repo_id, hub):
    info = api.model_info(repo_id)
    commits = api.list_repo_commits(repo_id)

    assert info.sha is not None and info.sha == commits[0].commit_id
    assert [c.title for c in commits] == ["initial commit"]
    assert commits[0].authors == [hub["user"]]
    assert api.list_repo_files(repo_id) == [".gitattributes"]
    rules = open(api.hf_hub_download(repo_id, ".gitattributes")).read()
    assert "*.safetensors filter=lfs diff=lfs merge=lfs -text" in rules
    assert "*.png filter=lfs" not in rules


def test_a_dataset_repo_gets_the_dataset_template(api, dataset_id):
    rules = open(api.hf_hub_download(dataset_id, ".gitattributes", repo_type="dataset")).read()
    assert "*.parquet filter=lfs diff=lfs merge=lfs -text" in rules
    assert "*.png filter=lfs diff=lfs merge=lfs -text" in rules


def test_repo_ids_are_case_insensitive(api, hub):
    repo_id = api.create_repo(new_repo_id(hub, "CaSe")).repo_id
    try:
        api.upload_file(repo_id=repo_id.lower(), path_in_repo="file.txt", path_or_fileobj=b"content")
        assert "file.txt" in api.list_repo_files(repo_id.upper())
        assert api.model_info(repo_id.lower()).id == repo_id
        with pytest.raises(HfHubHTTPError) as error:
            api.create_repo(repo_id.lower())
        assert error.value.response.status_code == 409
        assert api.create_repo(repo_id.lower(), exist_ok=True).repo_id.lower() == repo_id.lower()
    finally:
        api.delete_repo(repo_id)


def test_missing_repos_are_repository_not_found_with_or_without_namespace(api, hub):
    for missing in ("repo-that-does-not-exist", f"{hub['user']}/repo-that-does-not-exist"):
        with pytest.raises(RepositoryNotFoundError):
            api.model_info(missing)
        with pytest.raises(RepositoryNotFoundError):
            api.list_repo_commits(missing)
        assert not api.repo_exists(missing)
        assert not api.file_exists(missing, "file.txt")
    with pytest.raises(RepositoryNotFoundError, match=r"(?s)404 Client Error.*Request ID: .+Repository Not Found"):
        api.delete_repo("repo-that-does-not-exist")
    api.delete_repo("repo-that-does-not-exist", missing_ok=True)


def test_a_private_repo_is_not_found_without_the_token(api, hub):
    repo_id = api.create_repo(new_repo_id(hub, "private"), private=True).repo_id
    anonymous = HfApi(endpoint=hub["url"], token=False)
    try:
        api.upload_file(repo_id=repo_id, path_in_repo="file.txt", path_or_fileobj=b"secret")
        assert api.model_info(repo_id, expand="private").private
        assert api.repo_exists(repo_id) and api.file_exists(repo_id, "file.txt")
        with pytest.raises(RepositoryNotFoundError):
            anonymous.model_info(repo_id)
        assert not anonymous.repo_exists(repo_id)
        assert not anonymous.file_exists(repo_id, "file.txt")
        api.update_repo_settings(repo_id, private=False, gated="auto")
        info = api.model_info(repo_id)
        assert (info.private, info.gated) == (False, "auto")
        assert anonymous.repo_exists(repo_id)
    finally:
        api.delete_repo(repo_id)


def test_move_repo_keeps_history_and_refuses_an_existing_target(api, hub):
    source = api.create_repo(new_repo_id(hub, "from")).repo_id
    target = new_repo_id(hub, "to")
    taken = api.create_repo(new_repo_id(hub, "taken")).repo_id
    try:
        api.upload_file(repo_id=source, path_in_repo="file.txt", path_or_fileobj=b"moved")
        api.move_repo(from_id=source, to_id=target)
        assert not api.repo_exists(source)
        assert [c.title for c in api.list_repo_commits(target)][-1] == "initial commit"
        assert open(api.hf_hub_download(target, "file.txt")).read() == "moved"
        with pytest.raises(HfHubHTTPError, match=r"A model repository called .* already exists"):
            api.move_repo(from_id=target, to_id=taken)
    finally:
        for repo in (source, target, taken):
            api.delete_repo(repo, missing_ok=True)


def test_listing_a_namespace_shows_private_repos_only_to_their_owner(api, hub):
    public = api.create_repo(new_repo_id(hub, "listed")).repo_id
    private = api.create_repo(new_repo_id(hub, "hidden"), private=True).repo_id
    dataset = api.create_repo(new_repo_id(hub, "listed-data"), repo_type="dataset").repo_id
    anonymous = HfApi(endpoint=hub["url"], token=False)
    try:
        mine = {m.id for m in api.list_models(author=hub["user"], sort="created_at", limit=100)}
        theirs = {m.id for m in anonymous.list_models(author=hub["user"])}
        assert {public, private} <= mine
        assert public in theirs and private not in theirs
        assert dataset not in mine
        assert dataset in {d.id for d in api.list_datasets(author=hub["user"])}
        assert [m.id for m in api.list_models(search=public.split("/")[1])] == [public]
    finally:
        api.delete_repo(public)
        api.delete_repo(private)
        api.delete_repo(dataset, repo_type="dataset")
