import type { HashCache } from "../cache/load-hash-cache.js";
import type { CommandEvent } from "../command-event.js";
import type { HubClient, HubRepo } from "../hub/hub-client.js";
import { readTrailer, RUN_TRAILER } from "../hub/commit/upload-trailer.js";
import type { StagedFile } from "../stage/staged-upload.js";
import { compareWithRemote } from "./compare-with-remote.js";

/**
 * An open pull request of this tool that already proposes exactly this upload, so a re-run with
 * nothing changed opens none: titled as our commit, its head commit made for this run (by its
 * trailer) on top of the branch as it is now, holding every file of the upload and none of the
 * files the upload deletes.
 */
export async function findOwnPullRequest(params: {
  client: HubClient;
  repo: HubRepo;
  title: string;
  runName: string;
  /** The head of the branch the pull request would be opened against. */
  baseHead: string | undefined;
  files: readonly StagedFile[];
  deletions: readonly string[];
  cache: HashCache;
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
}): Promise<{ url: string; oid: string } | undefined> {
  const { client, repo } = params;
  const candidates = (await client.pullRequests(repo)).filter((pr) => pr.title === params.title);
  for (const pr of candidates) {
    const [head, parent] = await client.commits(repo, pr.revision);
    if (
      head === undefined ||
      readTrailer(head.message, RUN_TRAILER) !== params.runName ||
      parent?.oid !== params.baseHead
    ) {
      continue;
    }
    const proposed = await client.remoteState(repo, pr.revision);
    if (proposed?.head !== head.oid) {
      continue;
    }
    const diff = await compareWithRemote({
      files: params.files,
      remote: proposed.files,
      cache: params.cache,
      signal: params.signal,
      onEvent: params.onEvent,
    });
    if (diff.changed.length === 0 && params.deletions.every((path) => !proposed.files.has(path))) {
      return { url: pr.url, oid: head.oid };
    }
  }
  return undefined;
}
