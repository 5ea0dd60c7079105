import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { listCommits } from "./list-commits.js";
import { listPullRequests } from "./list-pull-requests.js";
import { readTrailer, UPLOAD_TRAILER } from "../commit/upload-trailer.js";

/**
 * After a pull-request commit whose answer was lost: the pull request it opened, recognised by the
 * upload's nonce in its head commit (a pull request is titled as its commit), or undefined.
 */
export async function findLandedPullRequest(
  call: HubCall,
  repo: HubRepo,
  title: string,
  nonce: string,
  repoUrl: string,
): Promise<{ oid: string; pullRequestUrl: string } | undefined> {
  for (const pr of (await listPullRequests(call, repo)).filter((entry) => entry.title === title)) {
    const [head] = await listCommits(call, repo, `refs/pr/${pr.num}`);
    if (head !== undefined && readTrailer(head.message, UPLOAD_TRAILER) === nonce) {
      return { oid: head.oid, pullRequestUrl: `${repoUrl}/discussions/${pr.num}` };
    }
  }
  return undefined;
}
