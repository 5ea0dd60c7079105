import { fileKey } from "../cache/file-key.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import type { CommandEvent } from "../command-event.js";
import type { HubClient, HubRepo } from "../hub/create-hub-client.js";
import { diffAgainstRemote, type LocalFile } from "../hub/diff-against-remote.js";
import { HubError } from "../errors.js";
import { readTrailer, RUN_TRAILER } from "../hub/upload-trailer.js";
import { runRelativePath } from "../runs/run-relative-path.js";
import { runConversion } from "../stage/run-conversion.js";
import type { PendingConversion, StagedFile } from "../stage/staged-upload.js";
import { hashFile } from "../util/hash-file.js";
import { mapLimit } from "../util/map-limit.js";
import { invalidRunError } from "../validate/invalid-run-error.js";
import type { RepoOutcome } from "./repo-outcome.js";

/** Files up to this size may be stored by the Hub as plain git blobs, whose listed oid is a git sha1. */
const GIT_BLOB_LIMIT = 10 * 1024 * 1024;
/** Below this, hashing costs less than a cache lookup is worth: small files are always hashed. */
const ALWAYS_HASH = 1024 * 1024;

export interface PublishRepoParams {
  client: HubClient;
  repo: HubRepo;
  /** Every file the repo should hold, the card included. */
  files: readonly StagedFile[];
  /** README.md's text, checked with the Hub before anything is sent. */
  card: string;
  isPrivate: boolean;
  title: string;
  description: string;
  cache: HashCache;
  /** Converted weights the cache vouches for; converted here only if they must be sent. */
  pendingConversion: PendingConversion | undefined;
  /** For messages about the run's files, and to recognise a repo that holds another run. */
  run: { name: string; modelDir: string };
  /** The user named this repo (--repo): it may hold other runs. */
  repoNamedByUser?: boolean;
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
}

/**
 * Publishes one repo: sends only what it does not already have, in one commit on top of the head
 * we compared against. Hashes come from the cache when a file is unchanged on disk; a file is hashed
 * here only when the repo holds a same-sized file and the cache cannot tell whether it is the same.
 */
export async function publishRepo(params: PublishRepoParams): Promise<RepoOutcome> {
  const { client, repo, cache, onEvent } = params;
  const warnings: string[] = [];
  const remote = await client.remoteState(repo);
  const files = [...params.files];

  const local = new Map<string, LocalFile>(
    files.map((file) => {
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
    const file = files.find((candidate) => candidate.pathInRepo === pathInRepo);
    const entry = local.get(pathInRepo);
    if (file === undefined || entry === undefined || file.pending || file.content.type !== "file") {
      return;
    }
    const hashes = await hashFile(file.content.abs, file.size, {
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
      const size = local.get(pathInRepo)?.size ?? 0;
      onEvent({ type: "file", path: pathInRepo, state: "hashing", progress: 1, bytes: size, totalBytes: size });
    });
  }
  if (diff.unknown.length > 0) {
    diff = diffAgainstRemote([...local.values()], remote?.files ?? new Map());
  }
  const sendPaths = new Set([...diff.changed, ...diff.unknown]);
  for (const pathInRepo of diff.unchanged) {
    onEvent({ type: "info", verbose: true, message: `Unchanged on the Hub, not sent: ${repo.id}/${pathInRepo}` });
  }
  const url = client.repoUrl(repo);
  if (remote !== undefined && sendPaths.size === 0) {
    return { repo, status: "unchanged", url, created: false, commit: undefined, sent: [], warnings };
  }

  // Only a commit can mix runs, so only an upload that will commit looks.
  if (remote?.head !== undefined && !params.repoNamedByUser) {
    // A repo named after a run may already hold another run (names shortened to fit, a reused name):
    // never mix two runs in one repo unless the user asked for that repo.
    const [head] = await client.commits(repo, "main");
    const holder = head === undefined ? undefined : readTrailer(head.message, RUN_TRAILER);
    if (holder !== undefined && holder !== params.run.name) {
      throw new HubError(
        `${repo.id} already holds the upload of another run (${holder}); refusing to put ${params.run.name} into it`,
        {
          hint: `Delete or rename that repo, or name it on purpose with --repo ${repo.id}`,
        },
      );
    }
  }
  if (sendPaths.has("README.md")) {
    const verdict = await client.validateCard(params.card, repo.type);
    if (verdict.status === "rejected") {
      throw invalidRunError(params.run.name, [
        { file: "README.md", message: `the Hub rejects the ${repo.type} card metadata: ${verdict.message}` },
      ]);
    }
    if (verdict.status === "unavailable") {
      warnings.push(`Could not check the ${repo.type} card with the Hub (${verdict.message}); uploading anyway`);
    }
    for (const warning of verdict.status === "accepted" ? verdict.warnings : []) {
      warnings.push(`Hub metadata check: ${warning}`);
    }
  }

  if (remote === undefined) {
    onEvent({ type: "phase", phase: "creating-repo" });
  }
  const created =
    remote === undefined ? await client.ensureRepo(repo, { private: params.isPrivate }) : { created: false, url };
  // A new repo may already hold an initial commit (.gitattributes): commit on top of exactly that.
  const parentCommit = remote === undefined ? (await client.remoteState(repo))?.head : remote.head;

  const pending = files.findIndex((file) => file.pending && sendPaths.has(file.pathInRepo));
  const job = params.pendingConversion;
  if (pending >= 0 && job !== undefined) {
    const converted = await runConversion({ ...job, cache });
    if (converted.issues.length > 0) {
      throw invalidRunError(
        params.run.name,
        converted.issues.map((issue) => ({ ...issue, file: runRelativePath(params.run.modelDir, issue.file) })),
      );
    }
    const file = files[pending];
    if (file !== undefined) {
      files[pending] = { ...file, size: converted.size, sha256: converted.sha256, pending: false };
    }
  }
  const toSend = files.filter((file) => sendPaths.has(file.pathInRepo));
  const outcome = await client.commit({
    repo,
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
    repo,
    status: "uploaded",
    url: created.url,
    created: created.created,
    commit: outcome.commit,
    sent: toSend.map((file) => file.pathInRepo),
    warnings,
  };
}
