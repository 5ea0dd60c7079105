import type { HashCache } from "../cache/load-hash-cache.js";
import type { CommandEvent } from "../command-event.js";
import { PartialUploadError, ProcessArtifactsError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import type { HubClient } from "../hub/hub-client.js";
import type { RepoTarget } from "./repo-target.js";
import type { PendingConversion, StagedFile } from "../stage/staged-upload.js";
import { publishRepo } from "./publish-repo.js";
import type { RepoOutcome } from "./repo-outcome.js";

export interface RepoUpload {
  target: RepoTarget;
  files: readonly StagedFile[];
  card: string;
  title: string;
  description: string;
}

/**
 * Publishes the run's repos in order: the training data first, so the model card's link to it
 * resolves the moment the model lands. When the model fails after the dataset landed, the error
 * says so; a re-run then finds the dataset unchanged and makes no second commit there.
 */
export async function publishUpload(params: {
  client: HubClient;
  model: RepoUpload;
  dataset: RepoUpload | undefined;
  cache: HashCache;
  pendingConversion: PendingConversion | undefined;
  run: { name: string; modelDir: string };
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
}): Promise<{ model: RepoOutcome; dataset: RepoOutcome | undefined }> {
  const common = {
    client: params.client,
    cache: params.cache,
    run: params.run,
    signal: params.signal,
    onEvent: params.onEvent,
  };
  const dataset =
    params.dataset === undefined
      ? undefined
      : await publishRepo({ ...common, ...params.dataset, pendingConversion: undefined });
  try {
    const model = await publishRepo({ ...common, ...params.model, pendingConversion: params.pendingConversion });
    return { model, dataset };
  } catch (error) {
    if (dataset === undefined) {
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const what =
      dataset.pullRequest !== undefined
        ? `The training data's pull request is open (${dataset.pullRequest.url})`
        : dataset.status === "uploaded"
          ? `The training data was published (${dataset.url}${dataset.commit ? `, commit ${dataset.commit.oid}` : ""})`
          : `The training data was already on the Hub (${dataset.url})`;
    throw new PartialUploadError(`${what}, but the model upload failed: ${reason}`, {
      cause: error,
      hint:
        (error instanceof ProcessArtifactsError ? error.hint : undefined) ??
        "Run again: the dataset is not committed twice and the model upload resumes",
      exitCode: error instanceof ProcessArtifactsError ? error.exitCode : ExitCode.Failure,
      landed: [
        { repoId: dataset.repo.id, url: dataset.pullRequest?.url ?? dataset.url, commit: dataset.commit?.oid },
        ...(error instanceof PartialUploadError ? error.landed : []),
      ],
    });
  }
}
