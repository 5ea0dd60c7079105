import { fileKey } from "../cache/file-key.js";
import type { HashCache } from "../cache/load-hash-cache.js";
import type { CommandEvent } from "../command-event.js";
import { HubError } from "../errors.js";
import type { HubClient } from "../hub/hub-client.js";
import type { RemoteFile } from "../hub/diff-against-remote.js";
import { readTrailer, RUN_TRAILER } from "../hub/upload-trailer.js";
import { runRelativePath } from "../runs/run-relative-path.js";
import { runConversion } from "../stage/run-conversion.js";
import type { PendingConversion, StagedFile } from "../stage/staged-upload.js";
import { invalidRunError } from "../validate/invalid-run-error.js";
import { compareWithRemote } from "./compare-with-remote.js";
import type { RepoOutcome } from "./repo-outcome.js";
import type { RepoTarget } from "./repo-target.js";

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
 * top of the head it compared against; in a stable repo, deletes what an earlier run left and tags
 * the commit with the run's name (an existing tag is checked, never moved).
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
    warnings,
    ...fields,
  });

  // The card check needs nothing the Hub tells us, so it is asked alongside the repo's state (one
  // round trip less); its verdict is only read if the card is to be sent.
  const cardCheck = client.validateCard(params.card, repo.type);
  cardCheck.catch(() => undefined);
  // A repo named after the run is almost always new (training just wrote the run), so its creation is
  // asked alongside the lookup too (one round trip less): for an existing repo the Hub answers 409 and
  // nothing changes. A repo created here and then refused before its commit is deleted again.
  const creation = target.namedByUser ? undefined : settle(client.ensureRepo(repo, { private: target.private }));
  const remote = await client.remoteState(repo, branch).catch(async (error: unknown) => {
    await creation;
    throw error;
  });
  if (remote !== undefined) {
    warnings.push(...(await reconcileAccess(client, target, remote)));
  }

  if (target.tag !== undefined && remote !== undefined) {
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
      const extra = [...(atTag?.files.keys() ?? [])].filter((path) => !local.has(path) && !KEPT.has(path));
      if (diff.changed.length > 0 || (target.deleteOthers && extra.length > 0)) {
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
  const base = remote?.revisionExists === false ? await client.remoteState(repo, "main") : remote;
  const remoteFiles: ReadonlyMap<string, RemoteFile> = base?.files ?? new Map<string, RemoteFile>();
  const diff = await compareWithRemote({ files, remote: remoteFiles, cache, signal: params.signal, onEvent });
  for (const pathInRepo of diff.unchanged) {
    onEvent({ type: "info", verbose: true, message: `Unchanged on the Hub, not sent: ${repo.id}/${pathInRepo}` });
  }
  const local = new Set(files.map((file) => file.pathInRepo));
  const deletions = target.deleteOthers
    ? [...remoteFiles.keys()].filter((path) => !local.has(path) && !KEPT.has(path))
    : [];
  const sendPaths = new Set(diff.changed);
  if (remote?.revisionExists === true && sendPaths.size === 0 && deletions.length === 0) {
    if (target.tag !== undefined && remote.head !== undefined && !target.createPr) {
      // The branch already holds exactly this run (its tag was deleted): tag it again, nothing to commit.
      await client.createTag(repo, target.tag, remote.head, `Run ${params.run.name}`);
      return outcome({
        status: "unchanged",
        commit: { oid: remote.head, url: `${url}/commit/${remote.head}` },
        tag: { name: target.tag, created: true },
      });
    }
    return outcome({ status: "unchanged" });
  }

  // A repo holding nothing but the Hub's LFS rules (its "initial commit") holds no run: no history to read.
  const holdsFiles = [...remoteFiles.keys()].some((path) => !KEPT.has(path));
  // Two independent checks before anything is written, asked together (one round trip).
  const [holder, verdict] = await Promise.all([
    // Only a commit can mix runs, so only an upload that will commit looks; a repo named on purpose may hold others.
    base?.head !== undefined && !target.namedByUser && holdsFiles
      ? client
          .commits(repo, base.revisionExists ? branch : "main")
          .then(([head]) => (head === undefined ? undefined : readTrailer(head.message, RUN_TRAILER)))
      : Promise.resolve(undefined),
    sendPaths.has(CARD) ? cardCheck : Promise.resolve(undefined),
  ]);
  if (holder !== undefined && holder !== params.run.name) {
    // A repo named after a run may already hold another run (names shortened to fit, a reused name).
    throw new HubError(
      `${repo.id} already holds the upload of another run (${holder}); refusing to put ${params.run.name} into it`,
      { hint: `Delete or rename that repo, or name it on purpose with --repo ${repo.id}` },
    );
  }
  if (verdict?.status === "rejected") {
    const issues = [{ file: CARD, message: `the Hub rejects the ${repo.type} card metadata: ${verdict.message}` }];
    const asked = await creation;
    if (asked?.ok === true && asked.value.created) {
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

  let created = false;
  if (remote === undefined) {
    onEvent({ type: "phase", phase: "creating-repo" });
  }
  const asked = await creation;
  if (asked?.ok === true) {
    // Even with a remote state: the lookup may have reached the Hub just after our creation.
    created = asked.value.created;
  } else if (remote === undefined) {
    // Only a repo that does not exist needs the creation: its failure matters only then.
    if (asked !== undefined) {
      throw asked.error;
    }
    created = (await client.ensureRepo(repo, { private: target.private })).created;
  }
  if (created && target.gated !== undefined && target.gated !== false) {
    await client.updateSettings(repo, { gated: target.gated });
  }
  // A repo someone else created meanwhile (409) may hold commits: commit on top of exactly its head.
  // One we just created holds at most the Hub's initial commit, which nobody else can have moved.
  let head = remote === undefined ? (created ? undefined : (await client.remoteState(repo, "main"))?.head) : base?.head;
  if (branch !== "main" && remote?.revisionExists !== true) {
    await client.createBranch(repo, branch, head);
    onEvent({ type: "info", verbose: false, message: `Created the branch ${branch} of ${repo.id} from main` });
    head = (await client.remoteState(repo, branch))?.head ?? head;
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
  });
  for (const file of toSend) {
    const sha256 = committed.lfsOids.get(file.pathInRepo);
    if (file.source && sha256 !== undefined) {
      cache.set(fileKey(file.source), { sha256, size: file.size });
    }
  }
  let tag: RepoOutcome["tag"];
  if (target.tag !== undefined && committed.pullRequest === undefined) {
    await client.createTag(repo, target.tag, committed.commit.oid, `Run ${params.run.name}`);
    tag = { name: target.tag, created: true };
  }
  return outcome({
    status: "uploaded",
    created,
    commit: committed.commit,
    pullRequest: committed.pullRequest === undefined ? undefined : { url: committed.pullRequest.url },
    tag,
    sent: toSend.map((file) => file.pathInRepo),
    deleted: deletions,
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

/** A promise's outcome as a value: awaited later, its rejection is never unhandled. */
function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
