import { HubError } from "../errors.js";
import type { HubClient } from "../hub/hub-client.js";
import { toRepoName } from "../hub/to-repo-name.js";
import { readTrailer, RUN_TRAILER } from "../hub/upload-trailer.js";

/**
 * Whether a run has been published, asked cheaply (one or two requests, no staging): in a stable
 * repo, its tag exists; in a repo per run, the repo's last commit is this run's upload (by its
 * trailer). An upload itself checks byte for byte; this is for listings and plans.
 */
export async function isRunPublished(params: {
  client: HubClient;
  runName: string;
  /** The stable repo (--repo), or undefined for a repo per run. */
  repoId: string | undefined;
  namespace: string | undefined;
}): Promise<boolean | undefined> {
  const { client, runName } = params;
  try {
    if (params.repoId !== undefined) {
      return (await client.refs({ type: "model", id: params.repoId })).tags.has(runName);
    }
    if (params.namespace === undefined) {
      return undefined;
    }
    const [head] = await client.commits({ type: "model", id: `${params.namespace}/${toRepoName(runName)}` }, "main");
    return head !== undefined && readTrailer(head.message, RUN_TRAILER) === runName;
  } catch (error) {
    if (error instanceof HubError && error.statusCode === 404) {
      return false;
    }
    throw error;
  }
}
