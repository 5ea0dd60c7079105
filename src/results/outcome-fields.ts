import type { RepoOutcome } from "../publish/repo-outcome.js";
import type { RepoResult } from "./types.js";

/** Pure: what the result says of one published repo, from what publishing it proved. */
export function outcomeFields(outcome: RepoOutcome, title: string): Partial<RepoResult> {
  return {
    status: outcome.status,
    url: outcome.url,
    created: outcome.created,
    // Only a commit made now has our title; an unchanged repo's is the head it already had.
    commit:
      outcome.commit === undefined
        ? undefined
        : outcome.status === "uploaded"
          ? { ...outcome.commit, title }
          : outcome.commit,
    sent: outcome.sent,
    deleted: outcome.deleted,
    kept: outcome.kept,
    branch: outcome.branch,
    tag: outcome.tag,
    pullRequest: outcome.pullRequest,
    ...(outcome.storage === undefined ? {} : { storage: outcome.storage }),
  };
}
