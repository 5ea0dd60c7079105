"""Refs, history and listings: tags, branches, refs/pr/N, commits, trees, paths-info, existence checks."""

import pytest
from huggingface_hub import CommitOperationAdd
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError, RevisionNotFoundError



def commit(api, repo_id, path, content, **kwargs):
    return api.create_commit(
        repo_id=repo_id, commit_message=f"add {path}", operations=[CommitOperationAdd(path, content)], **kwargs
    )


def test_tags_on_main_a_pull_request_and_a_short_oid(api, repo_id):
    first = commit(api, repo_id, "a.txt", b"one")
    commit(api, repo_id, "a.txt", b"two")
    pr = commit(api, repo_id, "pr.txt", b"proposed", create_pr=True)

    api.create_tag(repo_id, tag="v0", tag_message="main")
    api.create_tag(repo_id, tag="on-pr", revision=pr.pr_revision)
    api.create_tag(repo_id, tag="old", revision=first.oid[:7])

    assert api.model_info(repo_id, revision="v0").sha == api.model_info(repo_id).sha
    assert api.model_info(repo_id, revision="on-pr").sha == pr.oid
    assert api.model_info(repo_id, revision="old").sha == first.oid
    with pytest.raises(HfHubHTTPError) as error:
        api.create_tag(repo_id, tag="v0")
    assert error.value.response.status_code == 409
    api.create_tag(repo_id, tag="v0", exist_ok=True)
    with pytest.raises(HfHubHTTPError):
        api.create_tag(repo_id, tag="invalid tag")
    with pytest.raises(RevisionNotFoundError):
        api.create_tag(repo_id, tag="x", revision="no-such-revision")
    api.delete_tag(repo_id, tag="v0")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(repo_id, revision="v0")
    with pytest.raises(RevisionNotFoundError):
        api.delete_tag(repo_id, tag="v0")


def test_a_new_repo_can_be_tagged_and_branched_from_its_initial_commit(api, repo_id):
    initial = api.model_info(repo_id).sha
    api.create_tag(repo_id, tag="empty")
    latest = commit(api, repo_id, "app.py", b"content").oid

    api.create_branch(repo_id, branch="from-head")
    api.create_branch(repo_id, branch="from-initial", revision=initial)
    api.create_branch(repo_id, branch="from-branch", revision="from-initial")
    api.create_branch(repo_id, branch="empty")  # a branch may share a tag's name

    branches = {ref.name: ref.target_commit for ref in api.list_repo_refs(repo_id).branches}
    assert branches == {
        "main": latest,
        "from-head": latest,
        "from-initial": initial,
        "from-branch": initial,
        "empty": latest,
    }
    assert {ref.name: ref.target_commit for ref in api.list_repo_refs(repo_id).tags} == {"empty": initial}


def test_branch_errors_carry_the_hubs_messages(api, repo_id):
    api.create_branch(repo_id, branch="cool-branch")
    with pytest.raises(HfHubHTTPError, match="Reference refs/heads/cool-branch already exists"):
        api.create_branch(repo_id, branch="cool-branch")
    with pytest.raises(HfHubHTTPError, match="Reference refs/heads/main already exists"):
        api.create_branch(repo_id, branch="main")
    api.create_branch(repo_id, branch="main", exist_ok=True)
    with pytest.raises(HfHubHTTPError, match="Cannot delete refs/heads/main"):
        api.delete_branch(repo_id, branch="main")
    with pytest.raises(HfHubHTTPError, match="Invalid rev id"):
        api.delete_branch(repo_id, branch="missing")
    api.delete_branch(repo_id, branch="cool-branch")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(repo_id, revision="cool-branch")


def test_history_of_main_and_of_a_pull_request(api, repo_id, hub):
    commit(api, repo_id, "content.txt", b"content")
    pr = commit(api, repo_id, "on_pr.txt", b"on pr", create_pr=True)
    commit(api, repo_id, "on_main.txt", b"on main")

    main = api.list_repo_commits(repo_id)
    on_pr = api.list_repo_commits(repo_id, revision=pr.pr_revision)

    assert [c.title for c in main] == ["add on_main.txt", "add content.txt", "initial commit"]
    assert [c.title for c in on_pr] == ["add on_pr.txt", "add content.txt", "initial commit"]
    assert all(c.authors == [hub["user"]] and c.formatted_title is None for c in main)
    assert all(c.formatted_title is not None for c in api.list_repo_commits(repo_id, formatted=True))
    refs = api.list_repo_refs(repo_id, include_pull_requests=True)
    assert [(ref.ref, ref.target_commit) for ref in refs.pull_requests] == [("refs/pr/1", pr.oid)]
    assert api.list_repo_refs(repo_id).pull_requests is None
    with pytest.raises(RevisionNotFoundError):
        api.list_repo_commits(repo_id, revision="missing")


def test_trees_paths_info_and_existence(api, repo_id):
    api.create_commit(
        repo_id=repo_id,
        commit_message="A first commit",
        operations=[
            CommitOperationAdd(path, b"data") for path in ["file.md", "lfs.bin", "1/file_1.md", "1/2/file_1_2.md"]
        ],
    )
    api.create_commit(
        repo_id=repo_id, commit_message="Another commit", operations=[CommitOperationAdd("3/file_3.md", b"x")]
    )

    assert {e.path for e in api.list_repo_tree(repo_id)} == {".gitattributes", "file.md", "lfs.bin", "1", "3"}
    assert {e.path for e in api.list_repo_tree(repo_id, path_in_repo="1")} == {"1/file_1.md", "1/2"}
    assert len(list(api.list_repo_tree(repo_id, recursive=True))) == 9
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree(repo_id, path_in_repo="unknown"))
    last = {p.path: p.last_commit.title for p in api.get_paths_info(repo_id, ["file.md", "3/file_3.md"], expand=True)}
    assert last == {"file.md": "A first commit", "3/file_3.md": "Another commit"}
    assert api.revision_exists(repo_id, "main") and not api.revision_exists(repo_id, "nope")
    assert api.file_exists(repo_id, "lfs.bin") and not api.file_exists(repo_id, "nope.bin")
    assert not api.file_exists(repo_id, "lfs.bin", revision="nope")
