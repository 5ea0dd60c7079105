import { HubError } from "../errors.js";
import type { HubClient, RepoRefs } from "../hub/hub-client.js";
import { toRepoName } from "../hub/to-repo-name.js";
import { readTrailer, RUN_TRAILER } from "../hub/commit/upload-trailer.js";

/**
 * A way to ask, cheaply, whether a run has been published (no staging): in a stable repo, its tag
 * exists (the repo's refs are read once, however many runs are asked about); in a repo per run,
 * the repo's last commit is this run's upload (by its trailer). An upload itself checks byte for
 * byte; this is for listings and plans. Undefined: cannot tell (no namespace).
 */
export function checkPublishedRuns(params: {
  client: HubClient;
  /** The stable repo (--repo), or undefined for a repo per run. */
  repoId: string | undefined;
  namespace: string | undefined;
}): (runName: string) => Promise<boolean | undefined> {
  const { client, repoId, namespace } = params;
  let refs: Promise<RepoRefs | undefined> | undefined;
  const notFoundAs =
    <T>(value: T) =>
    (error: unknown): T => {
      if (error instanceof HubError && error.statusCode === 404) {
        return value;
      }
      throw error;
    };
  return async (runName) => {
    if (repoId !== undefined) {
      refs ??= client.refs({ type: "model", id: repoId }).catch(notFoundAs(undefined));
      return (await refs)?.tags.has(runName) ?? false;
    }
    if (namespace === undefined) {
      return undefined;
    }
    return client
      .commits({ type: "model", id: `${namespace}/${toRepoName(runName)}` }, "main")
      .then(([head]) => head !== undefined && readTrailer(head.message, RUN_TRAILER) === runName)
      .catch(notFoundAs(false));
  };
}
