import { randomBytes } from "node:crypto";
import { access, mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EmulatedHub } from "./route-context.js";
import type { StoredState } from "./stored-state.js";

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/** Blobs already on disk, per folder: a blob never changes, so each is written (and looked for) once. */
const stored = new Map<string, Set<string>>();

/**
 * Writes the emulator's repos, refs and commits to `dir/state.json`, the bytes of regular files to
 * `dir/blobs/<git oid>` and any LFS object still in memory to `dir/lfs/<sha256>`. Every file is
 * written under a temp name and renamed, so a crash leaves the previous state readable.
 */
export async function saveHubState(hub: EmulatedHub, dir: string): Promise<void> {
  const blobs = path.join(dir, "blobs");
  const lfsDir = path.join(dir, "lfs");
  await mkdir(blobs, { recursive: true });
  await mkdir(lfsDir, { recursive: true });
  const state: StoredState = {
    version: 1,
    repos: [],
    lfs: [],
    buckets: [...hub.buckets.values()].map((bucket) => ({
      id: bucket.id,
      private: bucket.private,
      createdAt: bucket.createdAt,
      files: Object.fromEntries(bucket.files),
    })),
  };
  const written = stored.get(dir) ?? new Set<string>();
  stored.set(dir, written);
  for (const repo of hub.repos.values()) {
    const commits: StoredState["repos"][number]["commits"] = [];
    for (const commit of repo.allCommits.values()) {
      const files: StoredState["repos"][number]["commits"][number]["files"] = {};
      for (const [filePath, file] of commit.files) {
        files[filePath] = { size: file.size, gitOid: file.gitOid, lfs: file.lfs ?? null };
        if (file.content && !written.has(file.gitOid)) {
          written.add(file.gitOid);
          const target = path.join(blobs, file.gitOid);
          if (!(await exists(target))) {
            await writeAtomic(target, file.content);
          }
        }
      }
      commits.push({
        oid: commit.oid,
        title: commit.title,
        description: commit.description,
        parent: commit.parent ?? null,
        declaredParent: commit.declaredParent ?? null,
        branch: commit.branch,
        pullRequest: commit.pullRequest,
        date: commit.date,
        author: commit.author,
        operations: commit.operations,
        files,
      });
    }
    state.repos.push({
      type: repo.type,
      id: repo.id,
      private: repo.private,
      gated: repo.gated,
      createdAt: repo.createdAt,
      branches: Object.fromEntries([...repo.branches].map(([name, commit]) => [name, commit ?? null])),
      tags: Object.fromEntries(repo.tags),
      discussions: [...repo.discussions.values()],
      commits,
    });
  }
  for (const [oid, object] of hub.lfs) {
    let file = object.file ?? null;
    if (file === null && object.content) {
      file = path.join(lfsDir, oid);
      await writeAtomic(file, object.content);
      object.file = file;
      object.content = undefined;
    }
    state.lfs.push({ oid, size: object.size, file });
  }
  await writeAtomic(path.join(dir, "state.json"), `${JSON.stringify(state)}\n`);
}
