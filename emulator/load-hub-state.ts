import { access, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { EmulatedHub } from "./route-context.js";
import { FakeRepo } from "./fake-repo.js";
import type { StoredState } from "./stored-state.js";
import type { FakeFile } from "./types.js";

/**
 * Fills an empty hub from `dir/state.json` (written by saveHubState); a folder without one is a fresh
 * hub. LFS objects whose bytes have gone from disk are dropped, so clients upload them again.
 */
export async function loadHubState(hub: EmulatedHub, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  let text: string;
  try {
    text = await readFile(path.join(dir, "state.json"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return;
    }
    throw error;
  }
  const state = JSON.parse(text) as StoredState;
  if (state.version !== 1 || !Array.isArray(state.repos)) {
    throw new Error(`${path.join(dir, "state.json")} is not an emulator state file (version 1)`);
  }
  const blobs = new Map<string, Buffer>();
  const blob = async (oid: string): Promise<Buffer> => {
    let content = blobs.get(oid);
    if (!content) {
      content = await readFile(path.join(dir, "blobs", oid));
      blobs.set(oid, content);
    }
    return content;
  };
  for (const stored of state.repos) {
    const repo = new FakeRepo({
      type: stored.type,
      id: stored.id,
      private: stored.private,
      createdAt: stored.createdAt,
    });
    repo.gated = stored.gated;
    repo.branches.clear();
    for (const [name, commit] of Object.entries(stored.branches)) {
      repo.branches.set(name, commit ?? undefined);
    }
    for (const [name, tag] of Object.entries(stored.tags)) {
      repo.tags.set(name, tag);
    }
    for (const discussion of stored.discussions ?? []) {
      repo.discussions.set(discussion.num, discussion);
    }
    for (const pr of stored.pullRequests ?? []) {
      // Written before discussions were emulated: an open pull request without events, based on its head.
      repo.discussions.set(pr.num, {
        ...pr,
        isPullRequest: true,
        status: "open",
        events: [],
        base: pr.head,
        mergeCommit: undefined,
      });
    }
    const shared = new Map<string, FakeFile>();
    for (const commit of stored.commits) {
      const files = new Map<string, FakeFile>();
      for (const [filePath, file] of Object.entries(commit.files)) {
        const key = `${file.gitOid}:${file.size}`;
        let entry = shared.get(key);
        if (!entry) {
          entry = {
            size: file.size,
            gitOid: file.gitOid,
            lfs: file.lfs ?? undefined,
            content: file.lfs ? undefined : await blob(file.gitOid),
          };
          shared.set(key, entry);
        }
        files.set(filePath, entry);
      }
      repo.allCommits.set(commit.oid, {
        ...commit,
        parent: commit.parent ?? undefined,
        declaredParent: commit.declaredParent ?? undefined,
        files,
      });
    }
    hub.repos.set(repo.key, repo);
  }
  for (const bucket of state.buckets ?? []) {
    hub.buckets.set(bucket.id, { ...bucket, files: new Map(Object.entries(bucket.files)) });
  }
  for (const object of state.lfs) {
    if (object.file !== null) {
      const present = await access(object.file).then(
        () => true,
        () => false,
      );
      if (!present) {
        continue;
      }
    }
    hub.lfs.set(object.oid, { size: object.size, content: undefined, file: object.file ?? undefined });
  }
}
