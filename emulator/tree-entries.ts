import { createHash } from "node:crypto";
import type { FakeRepo } from "./fake-repo.js";
import { lfsPointer } from "./lfs-pointer.js";
import type { FakeFile } from "./types.js";

export interface TreeEntry {
  type: "file" | "directory";
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  /** The Xet hash of an LFS file stored in Xet (added by addXetHashes). */
  xetHash?: string;
  lastCommit?: { id: string; title: string; date: string };
}

function fileEntry(filePath: string, file: FakeFile): TreeEntry {
  return {
    type: "file",
    oid: file.gitOid,
    size: file.size,
    path: filePath,
    ...(file.lfs
      ? {
          lfs: {
            oid: file.lfs.oid,
            size: file.lfs.size,
            pointerSize: lfsPointer(file.lfs.oid, file.lfs.size).byteLength,
          },
        }
      : {}),
  };
}

/**
 * Pure: the entries of a tree as the Hub lists them, files and folders sorted by path; `paths` picks
 * entries by exact path (paths-info), otherwise `folder` and `recursive` select (tree). With `commit`
 * and `expand`, each entry carries the last commit that touched it. Undefined when `folder` does not exist.
 */
export function treeEntries(
  repo: FakeRepo,
  commit: string | undefined,
  select: { folder: string; recursive: boolean } | { paths: string[] },
  expand: boolean,
): TreeEntry[] | undefined {
  const tree = repo.treeAt(commit);
  const folders = new Map<string, string[]>();
  for (const [filePath, file] of tree) {
    const parts = filePath.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      // Appended in place: copying the list for every file made a folder of n files cost n².
      const members = folders.get(folder);
      if (members === undefined) {
        folders.set(folder, [`${filePath}:${file.gitOid}`]);
      } else {
        members.push(`${filePath}:${file.gitOid}`);
      }
    }
  }
  const all: TreeEntry[] = [
    ...[...tree].map(([filePath, file]) => fileEntry(filePath, file)),
    ...[...folders].map(([folder, members]) => ({
      type: "directory" as const,
      oid: createHash("sha1").update(members.sort().join("\n")).digest("hex"),
      size: 0,
      path: folder,
    })),
  ];
  let picked: TreeEntry[];
  if ("paths" in select) {
    const wanted = new Set(select.paths.map((p) => p.replace(/\/+$/, "")));
    picked = all.filter((entry) => wanted.has(entry.path));
  } else {
    const folder = select.folder.replace(/\/+$/, "");
    if (folder !== "" && !folders.has(folder)) {
      return undefined;
    }
    const prefix = folder === "" ? "" : `${folder}/`;
    picked = all.filter(
      (entry) => entry.path.startsWith(prefix) && (select.recursive || !entry.path.slice(prefix.length).includes("/")),
    );
  }
  picked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (expand) {
    const history = repo.history(commit);
    for (const entry of picked) {
      const touched = history.find((c) =>
        c.operations.some((op) => op.path === entry.path || op.path.startsWith(`${entry.path}/`)),
      );
      if (touched) {
        entry.lastCommit = { id: touched.oid, title: touched.title, date: touched.date };
      }
    }
  }
  return picked;
}
