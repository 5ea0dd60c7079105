import type { HubClient, HubRepo } from "../hub/hub-client.js";
import { readTrailer, RUN_TRAILER } from "../hub/commit/upload-trailer.js";
import { mapLimit } from "../util/map-limit.js";

/**
 * Which of `paths` (files at `revision` that this upload does not have) an earlier run of this tool
 * published: those whose last commit is one of the tool's own, which name their run in a trailer.
 * The rest — files a person added, or changed since — are theirs, and stay.
 */
export async function splitByPublisher(
  client: HubClient,
  repo: HubRepo,
  revision: string | undefined,
  paths: readonly string[],
): Promise<{ ours: string[]; theirs: string[] }> {
  if (paths.length === 0 || revision === undefined) {
    return { ours: [], theirs: [...paths] };
  }
  const last = await client.lastCommits(repo, revision, paths);
  const commits = [...new Set(last.values())];
  // A commit's history starts with the commit itself: its message is the first entry.
  const published = await mapLimit(commits, 8, async (oid) => {
    const [commit] = await client.commits(repo, oid);
    return commit?.oid === oid && readTrailer(commit.message, RUN_TRAILER) !== undefined;
  });
  const ours = new Set(commits.filter((_, index) => published[index] === true));
  return {
    ours: paths.filter((path) => ours.has(last.get(path) ?? "")),
    theirs: paths.filter((path) => !ours.has(last.get(path) ?? "")),
  };
}
