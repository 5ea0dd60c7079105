"""Discussions and pull requests (one numbering), merges, and super-squash."""

import pytest
from huggingface_hub import CommitOperationAdd
from huggingface_hub.errors import HfHubHTTPError



def test_discussions_and_pull_requests_share_a_numbering_and_filter(api, repo_id, hub):
    pr = api.create_pull_request(repo_id, title=" A pull request  ")
    discussion = api.create_discussion(repo_id, title="A discussion")

    assert (pr.num, pr.is_pull_request, pr.status, pr.title) == (1, True, "draft", "A pull request")
    assert (discussion.num, discussion.is_pull_request, discussion.status) == (2, False, "open")
    assert discussion.author == hub["user"] and pr.git_reference == "refs/pr/1"
    assert [d.num for d in api.get_repo_discussions(repo_id)] == [2, 1]
    assert [d.num for d in api.get_repo_discussions(repo_id, discussion_type="pull_request")] == [1]
    assert [d.num for d in api.get_repo_discussions(repo_id, author="someone-else")] == []
    api.change_discussion_status(repo_id, discussion.num, "closed")
    assert [d.num for d in api.get_repo_discussions(repo_id, discussion_status="open")] == [1]
    assert [d.num for d in api.get_repo_discussions(repo_id, discussion_status="closed")] == [2]
    assert api.model_info(repo_id, revision="refs/pr/1").sha == api.model_info(repo_id).sha
    with pytest.raises(HfHubHTTPError) as error:
        api.create_discussion(repo_id, title="ab")
    assert error.value.response.status_code == 400


def test_comments_edits_renames_and_status_changes_are_events(api, repo_id):
    discussion = api.create_discussion(repo_id, title="Questions", description="First post")
    first = [e for e in discussion.events if e.type == "comment"][0]
    assert first.content == "First post"

    reply = api.comment_discussion(repo_id, discussion.num, "**A reply** 🤗")
    edited = api.edit_discussion_comment(repo_id, discussion.num, first.id, "First post, edited")
    renamed = api.rename_discussion(repo_id, discussion.num, "Better title")
    closed = api.change_discussion_status(repo_id, discussion.num, "closed", comment="Done")

    details = api.get_discussion_details(repo_id, discussion.num)
    assert details == api.get_discussion_details(repo_id, discussion.num)
    assert (details.title, details.status) == ("Better title", "closed")
    assert {reply.id, renamed.id, closed.id} <= {e.id for e in details.events}
    assert [e for e in details.events if e.id == first.id][0] == edited
    assert edited.edited and edited.content == "First post, edited"
    assert (renamed.old_title, renamed.new_title, closed.new_status) == ("Questions", "Better title", "closed")
    with pytest.raises(ValueError):
        api.change_discussion_status(repo_id, discussion.num, "published")


def test_a_pull_request_is_merged_into_its_branch(api, repo_id):
    pr = api.create_pull_request(repo_id, title="Add a file")
    api.create_commit(
        repo_id=repo_id,
        commit_message="Commit some file",
        operations=[CommitOperationAdd("file.test", b"Content")],
        revision=pr.git_reference,
    )
    with pytest.raises(HfHubHTTPError):  # a draft is not merged
        api.merge_pull_request(repo_id, pr.num)
    api.change_discussion_status(repo_id, pr.num, "open")

    api.merge_pull_request(repo_id, pr.num)

    details = api.get_discussion_details(repo_id, pr.num)
    assert details.status == "merged" and details.target_branch == "refs/heads/main"
    assert details.merge_commit_oid == api.model_info(repo_id).sha
    assert "Commit some file" in [e.summary for e in details.events if e.type == "commit"]
    assert open(api.hf_hub_download(repo_id, "file.test")).read() == "Content"


def test_create_pr_commits_open_a_pull_request(api, repo_id):
    info = api.upload_file(repo_id=repo_id, path_in_repo="new.txt", path_or_fileobj=b"new", create_pr=True)

    details = api.get_discussion_details(repo_id, info.pr_num)
    assert (info.pr_revision, details.is_pull_request, details.status) == ("refs/pr/1", True, "open")
    assert info.pr_url == f"{api.endpoint}/{repo_id}/discussions/1"
    assert "new.txt" not in api.list_repo_files(repo_id)
    assert "new.txt" in api.list_repo_files(repo_id, revision="refs/pr/1")


def test_super_squash_of_a_branch_and_of_a_pull_request(api, repo_id):
    for content in (b"one", b"two", b"three"):
        api.upload_file(repo_id=repo_id, path_in_repo="file.txt", path_or_fileobj=content)
    api.create_branch(repo_id, branch="v0.1")
    pr = api.create_pull_request(repo_id, title="To squash")
    api.upload_file(repo_id=repo_id, path_in_repo="lfs.bin", path_or_fileobj=b"x", revision=pr.git_reference)

    api.super_squash_history(repo_id)
    api.super_squash_history(repo_id, branch=pr.git_reference)

    squashed = api.list_repo_commits(repo_id)
    assert [c.title for c in squashed] == ["Super-squash branch 'main' using huggingface_hub"]
    assert len(api.list_repo_commits(repo_id, revision="v0.1")) == 4
    assert len(api.list_repo_commits(repo_id, revision=pr.git_reference)) == 1
    assert open(api.hf_hub_download(repo_id, "file.txt")).read() == "three"
