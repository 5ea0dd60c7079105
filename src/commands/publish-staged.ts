import { fileKey } from "../cache/file-key.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import { type ValidationError } from "../errors.js";
import type { HubClient } from "../hub/create-hub-client.js";
import { diffAgainstRemote, type LocalFile } from "../hub/diff-against-remote.js";
import type { StagedFile } from "../staging/stage-run.js";
import { hashFile } from "../util/hash-file.js";
import { mapLimit } from "../util/map-limit.js";
import type { CommandEvent } from "./types.js";

/** Files up to this size may be stored by the Hub as plain git blobs, whose listed oid is a git sha1. */
const GIT_BLOB_LIMIT = 10 * 1024 * 1024;
/** Below this, hashing costs less than a cache lookup is worth: small files are always hashed. */
const ALWAYS_HASH = 1024 * 1024;

export interface PublishOutcome {
  status: "uploaded" | "unchanged";
  url: string;
  created: boolean;
  commit: { oid: string; url: string } | undefined;
  /** Repo paths actually sent in the commit. */
  sent: string[];
  warnings: string[];
}

/**
 * Sends only what the repo does not already have, in one commit on top of the head we compared
 * against. Hashes come from the cache when the file is unchanged on disk; a file is hashed here only
 * when the repo holds a same-sized file and the cache cannot tell whether it is the same.
 */
export async function publishStaged(params: {
  client: HubClient;
  repoId: string;
  isPrivate: boolean;
  files: readonly StagedFile[];
  readme: string;
  title: string;
  description: string;
  cache: HashCache;
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
  invalid: (issues: Array<{ file: string; message: string }>) => ValidationError;
}): Promise<PublishOutcome> {
  const { client, repoId, cache, onEvent } = params;
  const warnings: string[] = [];
  const remote = await client.remoteState(repoId);

  const local = new Map<string, LocalFile>(
    params.files.map((file) => {
      const cached = file.source ? cache.get(fileKey(file.source)) : undefined;
      return [
        file.pathInRepo,
        {
          pathInRepo: file.pathInRepo,
          size: file.size,
          sha256: file.sha256 ?? cached?.sha256,
          gitSha1: file.gitSha1 ?? cached?.gitSha1,
        },
      ];
    }),
  );
  const hash = async (pathInRepo: string): Promise<void> => {
    const file = params.files.find((candidate) => candidate.pathInRepo === pathInRepo);
    const entry = local.get(pathInRepo);
    if (file === undefined || entry === undefined || file.materialize !== undefined) {
      return;
    }
    const hashes = await hashFile(file.abs, file.size, {
      gitBlobLimit: GIT_BLOB_LIMIT,
      ...(params.signal ? { signal: params.signal } : {}),
    });
    entry.sha256 = hashes.sha256;
    entry.gitSha1 = hashes.gitSha1;
    if (file.source) {
      cache.set(fileKey(file.source), { sha256: hashes.sha256, size: file.size, gitSha1: hashes.gitSha1 });
    }
  };
  let diff = diffAgainstRemote([...local.values()], remote?.files ?? new Map());
  const small = diff.unknown.filter((pathInRepo) => (local.get(pathInRepo)?.size ?? 0) <= ALWAYS_HASH);
  const large = diff.unknown.filter((pathInRepo) => (local.get(pathInRepo)?.size ?? 0) > ALWAYS_HASH);
  await mapLimit(small, 8, hash);
  if (large.length > 0) {
    onEvent({ type: "phase", phase: "hashing" });
    await mapLimit(large, 2, async (pathInRepo) => {
      await hash(pathInRepo);
      onEvent({ type: "file", path: pathInRepo, state: "hashing", progress: 1 });
    });
  }
  if (diff.unknown.length > 0) {
    diff = diffAgainstRemote([...local.values()], remote?.files ?? new Map());
  }
  const sendPaths = new Set([...diff.changed, ...diff.unknown]);
  for (const pathInRepo of diff.unchanged) {
    onEvent({ type: "info", verbose: true, message: `Unchanged on the Hub, not sent: ${pathInRepo}` });
  }

  if (remote !== undefined && sendPaths.size === 0) {
    return {
      status: "unchanged",
      url: `${client.hubUrl}/${repoId}`,
      created: false,
      commit: undefined,
      sent: [],
      warnings,
    };
  }

  if (sendPaths.has("README.md")) {
    const verdict = await client.validateModelCard(params.readme);
    if (verdict.status === "rejected") {
      throw params.invalid([
        { file: "README.md", message: `the Hub rejects the model card metadata: ${verdict.message}` },
      ]);
    }
    if (verdict.status === "unavailable") {
      warnings.push(`Could not check the model card with the Hub (${verdict.message}); uploading anyway`);
    }
    for (const warning of verdict.status === "accepted" ? verdict.warnings : []) {
      warnings.push(`Hub metadata check: ${warning}`);
    }
  }

  if (remote === undefined) {
    onEvent({ type: "phase", phase: "creating-repo" });
  }
  const repo =
    remote === undefined
      ? await client.ensureRepo(repoId, { private: params.isPrivate })
      : { created: false, url: `${client.hubUrl}/${repoId}` };
  // A new repo may already hold an initial commit (.gitattributes): commit on top of exactly that.
  const parentCommit = remote === undefined ? (await client.remoteState(repoId))?.head : remote.head;
  const toSend = params.files.filter((file) => sendPaths.has(file.pathInRepo));
  for (const file of toSend) {
    await file.materialize?.();
  }
  const outcome = await client.commit({
    repoId,
    files: toSend,
    title: params.title,
    description: params.description,
    parentCommit,
    onEvent,
  });
  for (const file of toSend) {
    const sha256 = outcome.lfsOids.get(file.pathInRepo);
    if (file.source && sha256 !== undefined) {
      cache.set(fileKey(file.source), { sha256, size: file.size });
    }
  }
  return {
    status: "uploaded",
    url: repo.url,
    created: repo.created,
    commit: outcome.commit,
    sent: toSend.map((file) => file.pathInRepo),
    warnings,
  };
}
