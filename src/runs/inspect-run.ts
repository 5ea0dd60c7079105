import { open, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { RunIssue } from "../errors.js";
import type { SafetensorsHeader } from "../safetensors/parse-safetensors-header.js";
import { readSafetensorsHeader } from "../safetensors/read-safetensors-header.js";
import { mapLimit } from "../util/map-limit.js";
import { exclusionReason } from "./exclusion-reason.js";
import { linkOutMessage } from "./link-out-message.js";
import { listRunTree } from "./list-run-tree.js";
import { compareStrings } from "../util/compare-strings.js";
import { looksLikeLfsPointer } from "../util/looks-like-lfs-pointer.js";
import { isInsideFolder } from "../util/is-inside-folder.js";
import type { FileIdentity } from "../util/file-identity.js";

export interface RunFile extends FileIdentity {
  /** POSIX path relative to the run folder. */
  rel: string;
  abs: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface RunInspection {
  dir: string;
  /** Files that would be uploaded as they are, sorted by `rel`. */
  files: RunFile[];
  excluded: Array<{ rel: string; reason: string }>;
  /** Problems found while listing or reading (symlinks leaving the run, unparsable files, ...). */
  issues: RunIssue[];
  /** Folders that could not be listed (each also an issue): what they hold is unknown, not missing. */
  unreadableFolders: string[];
  json: Map<string, Parsed<unknown>>;
  safetensors: Map<string, Parsed<SafetensorsHeader>>;
}

/** JSON files bigger than this are uploaded without being parsed (tokenizers stay far below it). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

async function startsWithLfsPointer(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return looksLikeLfsPointer(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Lists a run folder once and reads what validation needs: every JSON file parsed, every
 * safetensors header (header only). Nothing here throws for a bad file; problems become issues so
 * the caller can report all of them at once. Paths are relative to `dir`; symlinks must stay inside
 * `root` (default: `dir`).
 */
export async function inspectRun(dir: string, options: { root?: string } = {}): Promise<RunInspection> {
  // Links may point anywhere inside the run, even when only one of its folders is inspected.
  const root = await realpath(options.root ?? dir);
  const issues: RunIssue[] = [];
  const unreadableFolders: string[] = [];
  const unreadable = (folders: Array<{ rel: string; code: string }>, prefix: string): void => {
    for (const folder of folders) {
      const rel = prefix === "" ? folder.rel : folder.rel === "" ? prefix : `${prefix}/${folder.rel}`;
      // Inside an excluded folder (.git, caches) nothing is uploaded, so nothing is unknown either.
      if (exclusionReason(`${rel}/`) === null) {
        unreadableFolders.push(rel);
        issues.push({ file: rel, message: `cannot read this folder (${folder.code}); check its permissions` });
      }
    }
  };
  const listing = await listRunTree(dir);
  unreadable(listing.unreadable, "");
  const excluded = new Map<string, string>();
  const candidates: Array<{ rel: string; abs: string }> = [];
  for (const entry of listing.entries) {
    const { rel } = entry;
    const excludedBy = exclusionReason(rel);
    if (excludedBy) {
      excluded.set(excludedBy.prefix, excludedBy.reason);
      continue;
    }
    const abs = path.join(dir, rel);
    if (entry.dirent.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(abs);
      } catch {
        issues.push({ file: rel, message: "broken symbolic link" });
        continue;
      }
      if (!isInsideFolder(root, target)) {
        issues.push({
          file: rel,
          message: linkOutMessage(target),
        });
        continue;
      }
      if ((await stat(target)).isDirectory()) {
        // Followed once: its files join the upload under the link's name; links inside it are not followed.
        if (isInsideFolder(target, await realpath(path.dirname(abs)))) {
          issues.push({ file: rel, message: "symbolic link loop: it points to a folder that contains it" });
          continue;
        }
        const inner = await listRunTree(abs);
        unreadable(inner.unreadable, rel);
        for (const entry of inner.entries) {
          const innerRel = `${rel}/${entry.rel}`;
          const innerExcluded = exclusionReason(innerRel);
          if (innerExcluded) {
            excluded.set(innerExcluded.prefix, innerExcluded.reason);
          } else if (entry.dirent.isSymbolicLink()) {
            issues.push({
              file: innerRel,
              message: "symbolic link inside a linked folder; links are followed only once",
            });
          } else if (entry.dirent.isFile()) {
            candidates.push({ rel: innerRel, abs: path.join(abs, entry.rel) });
          }
        }
        continue;
      }
      candidates.push({ rel, abs });
    } else if (entry.dirent.isFile()) {
      candidates.push({ rel, abs });
    }
  }

  const json = new Map<string, Parsed<unknown>>();
  const safetensors = new Map<string, Parsed<SafetensorsHeader>>();
  const files = await mapLimit(candidates, 16, async ({ rel, abs }): Promise<RunFile | null> => {
    let info;
    try {
      info = await stat(abs);
    } catch (error) {
      issues.push({ file: rel, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return null;
    }
    const file: RunFile = {
      rel,
      abs,
      size: info.size,
      mtimeMs: info.mtimeMs,
      ctimeMs: info.ctimeMs,
      ino: info.ino,
      dev: info.dev,
    };
    try {
      if (info.size > 0 && info.size < 1024 && (await startsWithLfsPointer(abs))) {
        issues.push({ file: rel, message: 'git-LFS pointer file, not the real content; run "git lfs pull" first' });
        return file;
      }
      if (rel.endsWith(".safetensors")) {
        try {
          safetensors.set(rel, { ok: true, value: await readSafetensorsHeader(abs, rel) });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          safetensors.set(rel, { ok: false, error: message });
          issues.push({ file: rel, message: message.startsWith(`${rel}: `) ? message.slice(rel.length + 2) : message });
        }
      } else if (rel.endsWith(".json") && info.size <= MAX_JSON_BYTES) {
        const text = await readFile(abs, "utf8");
        try {
          json.set(rel, { ok: true, value: JSON.parse(text) as unknown });
        } catch (error) {
          const reason = text.trim() === "" ? "empty file" : (error as Error).message;
          json.set(rel, { ok: false, error: reason });
          issues.push({ file: rel, message: `invalid JSON: ${reason}` });
        }
      }
    } catch (error) {
      issues.push({ file: rel, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    }
    return file;
  });

  const byRel = (a: { rel: string }, b: { rel: string }): number => compareStrings(a.rel, b.rel);
  return {
    dir,
    files: files.filter((file): file is RunFile => file !== null).sort(byRel),
    excluded: [...excluded].map(([rel, reason]) => ({ rel, reason })).sort(byRel),
    issues,
    unreadableFolders: unreadableFolders.sort(compareStrings),
    json,
    safetensors,
  };
}
