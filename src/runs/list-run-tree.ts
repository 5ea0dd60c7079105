import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { errorCode } from "../util/error-code.js";

export interface RunTreeEntry {
  /** POSIX path relative to the listed folder. */
  rel: string;
  dirent: Dirent;
}

export interface RunTreeListing {
  /** Files, folders and links (links are listed, not followed). */
  entries: RunTreeEntry[];
  /** Folders that could not be listed ("" for the folder itself), with the error code. */
  unreadable: Array<{ rel: string; code: string }>;
}

/**
 * Lists a folder recursively without following links. A sub-folder that cannot be read is reported
 * and the rest is still listed, so a caller can say exactly which folder it could not look into
 * instead of concluding from a partial (or empty) listing that files are missing.
 */
export async function listRunTree(dir: string): Promise<RunTreeListing> {
  const entries: RunTreeEntry[] = [];
  const unreadable: RunTreeListing["unreadable"] = [];
  const pending = [""];
  for (let rel = pending.pop(); rel !== undefined; rel = pending.pop()) {
    let dirents: Dirent[];
    try {
      dirents = await readdir(rel === "" ? dir : path.join(dir, rel), { withFileTypes: true });
    } catch (error) {
      unreadable.push({ rel, code: errorCode(error) ?? String(error) });
      continue;
    }
    for (const dirent of dirents) {
      const child = rel === "" ? dirent.name : `${rel}/${dirent.name}`;
      entries.push({ rel: child, dirent });
      if (dirent.isDirectory()) {
        pending.push(child);
      }
    }
  }
  return { entries, unreadable };
}
