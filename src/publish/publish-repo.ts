import { fileKey } from "../cache/file-key.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import type { CommandEvent } from "../command-event.js";
import { HubError, InterruptedError } from "../errors.js";
import type { HubClient, RemoteState } from "../hub/hub-client.js";
import type { RemoteFile } from "../hub/diff-against-remote.js";
import { readTrailer, RUN_TRAILER } from "../hub/commit/upload-trailer.js";
import { runRelativePath } from "../runs/run-relative-path.js";
import { runConversion } from "../stage/run-conversion.js";
import type { PendingConversion, StagedFile } from "../stage/staged-upload.js";
import { invalidRunError } from "../validate/invalid-run-error.js";
import { compareWithRemote } from "./compare-with-remote.js";
import { findOwnPullRequest } from "./find-own-pull-request.js";
import type { RepoOutcome } from "./repo-outcome.js";
import type { RepoTarget } from "./repo-target.js";
import { splitByPublisher } from "./split-by-publisher.js";

/** Never deleted from a repo, whatever an upload holds: the Hub's LFS rules. */
const KEPT = new Set([".gitattributes"]);
/** Generated per upload (it lists the other published runs): not part of a run's content. */
const CARD = "README.md";

export interface PublishRepoParams {
  client: HubClient;
  target: RepoTarget;
  /** Every file the repo should hold, the card included. */
  files: readonly StagedFile[];
  /** README.md's text, checked with the Hub before anything is sent. */
  card: string;
  title: string;
  description: string;
  cache: HashCache;
  /** Converted weights the cache vouches for; converted here only if they must be sent. */
  pendingConversion: PendingConversion | undefined;
  /** For messages about the run's files, and to recognise a repo that holds another run. */
  run: { name: string; modelDir: string };
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
}

/**
 * Publishes one repo of a run: sends only what the branch does not already have, in one commit on
 * top of the head it compared against; in a stable repo, deletes what an earlier run of the tool
 * published and this one lacks (files anyone else added stay) and tags the commit with the run's
 * name (an existing tag is checked, never moved). With a pull request, an open one of ours that
 * already proposes exactly this upload is reported instead of opening another.
 */
export async function publishRepo(params: PublishRepoParams): Promise<RepoOutcome> {
  const { client, target, cache, onEvent } = params;
  const { repo, branch } = target;
  const warnings: string[] = [];
  const url = client.repoUrl(repo);
  const files = [...params.files];
  const outcome = (fields: Partial<RepoOutcome> & Pick<RepoOutcome, "status">): RepoOutcome => ({
    repo,
    url,
    created: false,
    commit: undefined,
    branch,
    pullRequest: undefined,
    tag: undefined,
    sent: [],
    deleted: [],
    kept: [],
    warnings,
    ...fields,
  });

  // The card check needs nothing the Hub tells us, so it is asked alongside the first request (one
  // round trip less); its verdict is only read if the card is to be sent.
  const cardCheck = client.validateCard(params.card, repo.type);
  cardCheck.catch(() => undefined);
  // A repo named after the run is almost always new (training just wrote the run), so it is created
  // first; for one that exists the Hub answers 409 and nothing changes. Nothing reads the repo before
  // the creation has answered: a read that overtakes it finds no repo although one exists a moment
  // later, and the upload would fail, leaving the new repo empty.
  let created = false;
  if (!target.namedByUser) {
    onEvent({ type: "phase", phase: "creating-repo" });
    created = (await client.ensureRepo(repo, { private: target.private })).created;
  }
  // A repo just created holds at most the Hub's initial commit: there is nothing to read in it.
  const remote: RemoteState | undefined = created
    ? { head: undefined, revisionExists: branch === "main", files: new Map(), private: undefined, gated: undefined }
    : await client.remoteState(repo, branch);
  if (remote !== undefined && !created) {
    warnings.push(...(await reconcileAccess(client, target, remote)));
  }

  if (target.tag !== undefined && remote !== undefined && !created) {
    const tagged = (await client.refs(repo)).tags.get(target.tag);
    if (tagged !== undefined) {
      const atTag = await client.remoteState(repo, tagged);
      const runFiles = files.filter((file) => file.pathInRepo !== CARD);
      const diff = await compareWithRemote({
        files: runFiles,
        remote: atTag?.files ?? new Map(),
        cache,
        signal: params.signal,
        onEvent,
      });
      const local = new Set(files.map((file) => file.pathInRepo));
      const others = [...(atTag?.files.keys() ?? [])].filter((path) => !local.has(path) && !KEPT.has(path));
      // Files a person added beside the run do not make it different: only what the tool published counts.
      const extra = target.deleteOthers ? (await splitByPublisher(client, repo, tagged, others)).ours : [];
      if (diff.changed.length > 0 || extra.length > 0) {
        throw new HubError(
          `${repo.id} already has a tag ${target.tag} with different content (${[...diff.changed, ...extra].slice(0, 5).join(", ")}); a tag is never moved`,
          { hint: `If the run really changed, delete the tag ${target.tag} on the Hub first, then run again` },
        );
      }
      return outcome({
        status: "unchanged",
        commit: { oid: tagged, url: `${url}/commit/${tagged}` },
        tag: { name: target.tag, created: false },
      });
    }
  }

  // A branch that does not exist yet is created from main: compare against main's files.
  const baseRevision = remote?.revisionExists === false ? "main" : branch;
  const base = baseRevision !== branch && !created ? await client.remoteState(repo, "main") : remote;
  const remoteFiles: ReadonlyMap<string, RemoteFile> = base?.files ?? new Map<string, RemoteFile>();
  const diff = await compareWithRemote({ files, remote: remoteFiles, cache, signal: params.signal, onEvent });
  for (const pathInRepo of diff.unchanged) {
    onEvent({ type: "info", verbose: true, message: `Unchanged on the Hub, not sent: ${repo.id}/${pathInRepo}` });
  }
  const local = new Set(files.map((file) => file.pathInRepo));
  const others = target.deleteOthers
    ? [...remoteFiles.keys()].filter((path) => !local.has(path) && !KEPT.has(path))
    : [];
  // Only what an earlier run of the tool published is deleted; what anyone else put there stays.
  const { ours: deletions, theirs: kept } = await splitByPublisher(client, repo, base?.head, others);
  const sendPaths = new Set(diff.changed);
  if (remote !== undefined && sendPaths.size === 0 && deletions.length === 0) {
    const head = base?.head;
    if (head !== undefined && !target.createPr) {
      if (!remote.revisionExists) {
        // main already holds exactly this upload: the branch starts there, with nothing to commit.
        await client.createBranch(repo, branch, head);
        onEvent({ type: "info", verbose: false, message: `Created the branch ${branch} of ${repo.id} from main` });
      }
      if (target.tag !== undefined) {
        // The branch already holds exactly this run (its tag was deleted): tag it again, nothing to commit.
        await client.createTag(repo, target.tag, head, `Run ${params.run.name}`);
        return outcome({
          status: "unchanged",
          commit: { oid: head, url: `${url}/commit/${head}` },
          tag: { name: target.tag, created: true },
          kept,
        });
      }
    }
    // Nothing to send: the head compared against (the branch's, or main's for a branch still to make) holds this run.
    return outcome({
      status: "unchanged",
      commit: head === undefined ? undefined : { oid: head, url: `${url}/commit/${head}` },
      kept,
    });
  }

  // A repo holding nothing but the Hub's LFS rules (its "initial commit") holds no run: no history to read.
  const holdsFiles = [...remoteFiles.keys()].some((path) => !KEPT.has(path));
  // Independent checks before anything is written, asked together (one round trip).
  const [holder, verdict, proposed] = await Promise.all([
    // Only a commit can mix runs, so only an upload that will commit looks; a repo named on purpose may hold others.
    base?.head !== undefined && !target.namedByUser && holdsFiles
      ? client
          .commits(repo, baseRevision)
          .then(([head]) => (head === undefined ? undefined : readTrailer(head.message, RUN_TRAILER)))
      : Promise.resolve(undefined),
    sendPaths.has(CARD) ? cardCheck : Promise.resolve(undefined),
    // A repo that does not exist yet, or that was just created, has no pull request to find.
    target.createPr && remote !== undefined && !created
      ? findOwnPullRequest({
          client,
          repo,
          title: params.title,
          runName: params.run.name,
          baseHead: base?.head,
          files,
          deletions,
          cache,
          signal: params.signal,
          onEvent,
        })
      : Promise.resolve(undefined),
  ]);
  if (proposed !== undefined) {
    return outcome({
      status: "unchanged",
      commit: { oid: proposed.oid, url: `${url}/commit/${proposed.oid}` },
      pullRequest: { url: proposed.url },
      kept,
    });
  }
  if (holder !== undefined && holder !== params.run.name) {
    // A repo named after a run may already hold another run (names shortened to fit, a reused name).
    throw new HubError(
      `${repo.id} already holds the upload of another run (${holder}); refusing to put ${params.run.name} into it`,
      { hint: `Delete or rename that repo, or name it on purpose with --repo ${repo.id}` },
    );
  }
  if (verdict?.status === "rejected") {
    const issues = [{ file: CARD, message: `the Hub rejects the ${repo.type} card metadata: ${verdict.message}` }];
    if (created) {
      issues.push(
        await client.deleteRepo(repo).then(
          () => ({ file: CARD, message: `the empty repo ${repo.id} created for this upload was deleted again` }),
          () => ({
            file: CARD,
            message: `the empty repo ${repo.id} created for this upload could not be deleted: delete it at ${url}/settings`,
          }),
        ),
      );
    }
    throw invalidRunError(params.run.name, issues);
  }
  if (verdict?.status === "unavailable") {
    warnings.push(`Could not check the ${repo.type} card with the Hub (${verdict.message}); uploading anyway`);
  }
  for (const warning of verdict?.status === "accepted" ? verdict.warnings : []) {
    warnings.push(`Hub metadata check: ${warning}`);
  }

  if (remote === undefined) {
    onEvent({ type: "phase", phase: "creating-repo" });
    created = (await client.ensureRepo(repo, { private: target.private })).created;
  }
  if (created && target.gated !== undefined && target.gated !== false) {
    await client.updateSettings(repo, { gated: target.gated });
  }
  // A repo someone else created meanwhile (409) may hold commits: commit on top of exactly its head.
  // One we just created holds at most the Hub's initial commit, which nobody else can have moved.
  const head =
    remote === undefined ? (created ? undefined : (await client.remoteState(repo, "main"))?.head) : base?.head;
  if (branch !== "main" && remote?.revisionExists !== true) {
    // From main's head as compared (or, in a new repo, main's initial commit): the commit's parent is right either way.
    await client.createBranch(repo, branch, head);
    onEvent({ type: "info", verbose: false, message: `Created the branch ${branch} of ${repo.id} from main` });
  }

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
  // Hashes we produced, or that the comparison knew (staged, cached, hashed), are not computed again.
  const toSend = files
    .filter((file) => sendPaths.has(file.pathInRepo))
    .map((file) => {
      const known = file.sha256 ?? diff.sha256.get(file.pathInRepo);
      return known === undefined ? file : { ...file, sha256: known };
    });
  // The last versions of the files to send, where this tool sent them through Xet: their chunks are
  // asked about first, so a changed file dedups against its last version even when its first bytes
  // changed (a global-dedup query finds a file by its first chunk).
  const dedupHints = [
    ...new Set(
      [...sendPaths].flatMap((pathInRepo) => {
        const last = remoteFiles.get(pathInRepo)?.lfsSha256;
        return last === undefined ? [] : (cache.probesOf(last) ?? []);
      }),
    ),
  ];
  const committed = await client.commit({
    repo,
    branch,
    createPr: target.createPr,
    files: toSend,
    deletions,
    title: params.title,
    description: params.description,
    parentCommit: head,
    onEvent,
    dedupHints,
  });
  for (const file of toSend) {
    const sha256 = committed.lfsOids.get(file.pathInRepo);
    if (file.source && sha256 !== undefined) {
      const xetProbes = committed.xetProbes.get(file.pathInRepo);
      cache.set(fileKey(file.source), {
        sha256,
        size: file.size,
        ...(xetProbes === undefined ? {} : { xetProbes: [...xetProbes] }),
      });
    }
  }
  let tag: RepoOutcome["tag"];
  if (target.tag !== undefined && committed.pullRequest === undefined) {
    const name = target.tag;
    await client.createTag(repo, name, committed.commit.oid, `Run ${params.run.name}`).catch((error: unknown) => {
      // An interruption says what landed in its own words.
      if (error instanceof InterruptedError) {
        throw error;
      }
      // The commit is on the branch whatever happened to its tag: say so, and how the tag gets made.
      throw new HubError(
        `${repo.id} got the commit ${committed.commit.oid} for ${params.run.name}, but tagging it ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: "Run again: the branch already holds this run, so no second commit is made and only the tag is added",
          cause: error,
          ...(error instanceof HubError && error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
        },
      );
    });
    tag = { name, created: true };
  }
  return outcome({
    status: "uploaded",
    created,
    commit: committed.commit,
    pullRequest: committed.pullRequest === undefined ? undefined : { url: committed.pullRequest.url },
    tag,
    sent: toSend.map((file) => file.pathInRepo),
    deleted: deletions,
    kept,
    storage: committed.storage,
  });
}

/**
 * An existing repo keeps its access unless the user asks: warn when it differs from what the flags
 * and config ask for, or change it (and say so) with --update-settings.
 */
async function reconcileAccess(
  client: HubClient,
  target: RepoTarget,
  remote: { private: boolean | undefined; gated: false | "auto" | "manual" | undefined },
): Promise<string[]> {
  const wanted: { private?: boolean; gated?: false | "auto" | "manual" } = {};
  const differences: string[] = [];
  if (target.asked.private !== undefined && remote.private !== undefined && remote.private !== target.asked.private) {
    wanted.private = target.asked.private;
    differences.push(
      `is ${remote.private ? "private" : "public"} but ${target.asked.private ? "private" : "public"} is asked for`,
    );
  }
  if (target.asked.gated !== undefined && remote.gated !== undefined && remote.gated !== target.asked.gated) {
    wanted.gated = target.asked.gated;
    differences.push(`has gating ${String(remote.gated)} but ${String(target.asked.gated)} is asked for`);
  }
  if (differences.length === 0) {
    return [];
  }
  if (!target.updateSettings) {
    return [`${target.repo.id} ${differences.join(" and ")}; left as it is (pass --update-settings to change it)`];
  }
  await client.updateSettings(target.repo, wanted);
  return [`${target.repo.id} ${differences.join(" and ")}: changed (--update-settings)`];
}
