import type { FakeRepo } from "./fake-repo.js";
import type { FakeDiscussion, FakeDiscussionEvent } from "./types.js";

/** A user as the Hub shows one in discussions. */
const userJson = (name: string): Record<string, unknown> => ({
  name,
  fullname: name,
  type: "user",
  avatarUrl: "",
  isPro: false,
  isHf: false,
  isMod: false,
});

/** One event as the Hub lists it: `{id, type, createdAt, author, data}`. */
export function discussionEventJson(event: FakeDiscussionEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    author: userJson(event.author),
    data: event.data,
  };
}

/**
 * A discussion as the Hub's discussions API answers it: the summary of the repo's list, or with
 * `details` its events and, for a pull request, the branch it targets (`changes.base`), the merge
 * commit once merged, and the files in conflict (none: the emulator checks conflicts when merging).
 */
export function discussionJson(repo: FakeRepo, discussion: FakeDiscussion, details: boolean): Record<string, unknown> {
  const summary = {
    num: discussion.num,
    title: discussion.title,
    status: discussion.status,
    createdAt: discussion.createdAt,
    isPullRequest: discussion.isPullRequest,
    author: userJson(discussion.author),
    repo: { name: repo.id, type: repo.type },
    pinned: false,
    numComments: discussion.events.filter((event) => event.type === "comment").length,
    topReactions: [],
  };
  if (!details) {
    return summary;
  }
  return {
    ...summary,
    locked: false,
    events: discussion.events.map(discussionEventJson),
    ...(discussion.isPullRequest
      ? {
          changes: {
            base: `refs/heads/${discussion.target}`,
            ...(discussion.mergeCommit === undefined ? {} : { mergeCommitId: discussion.mergeCommit }),
          },
          filesWithConflicts: [],
        }
      : {}),
  };
}
