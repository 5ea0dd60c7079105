import { commentData } from "./comment-data.js";
import { discussionEvent } from "./discussion-event.js";
import type { FakeRepo } from "./fake-repo.js";
import type { FakeDiscussion } from "./types.js";

/**
 * Opens a discussion, or a pull request when `pullRequest` says where (its ref `refs/pr/N` starts at
 * `head`, the target branch's head unless the PR is opened by a commit), with the description as its
 * first comment. Returns it; the caller saves.
 */
export function openDiscussion(
  repo: FakeRepo,
  params: {
    title: string;
    description: string;
    author: string;
    pullRequest?: { target: string; base: string; head: string; status: "open" | "draft" };
  },
): FakeDiscussion {
  const fields = {
    num: repo.nextDiscussionNumber(),
    title: params.title,
    author: params.author,
    createdAt: new Date().toISOString(),
    events: [discussionEvent("comment", params.author, commentData(params.description, params.author))],
  };
  const discussion: FakeDiscussion =
    params.pullRequest === undefined
      ? { ...fields, isPullRequest: false, status: "open" }
      : {
          ...fields,
          isPullRequest: true,
          status: params.pullRequest.status,
          target: params.pullRequest.target,
          base: params.pullRequest.base,
          head: params.pullRequest.head,
          mergeCommit: undefined,
        };
  repo.discussions.set(discussion.num, discussion);
  return discussion;
}
