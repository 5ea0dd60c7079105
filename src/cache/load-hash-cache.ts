import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createDirPath } from "../util/create-dir-path.js";

export interface HashEntry {
  sha256: string;
  size: number;
  /** Git blob id, kept for files small enough to be stored as plain git blobs. */
  gitSha1?: string | undefined;
  /**
   * For content this tool sent through Xet: chunk hashes a global-dedup query finds it by (its first
   * chunk and eligible ones), so the next upload of a changed version can ask about them first.
   */
  xetProbes?: string[] | undefined;
}

export interface HashCache {
  get(key: string): HashEntry | undefined;
  set(key: string, entry: HashEntry): void;
  /** The Xet probes of content with this sha256, from any entry that has them. */
  probesOf(sha256: string): string[] | undefined;
  /**
   * Merges this run's entries into the file as it is now (another upload may have saved since we
   * read it) and writes the result atomically. A failure is returned, never thrown: the cache is an
   * optimisation.
   */
  save(): Promise<string | undefined>;
}

type StoredEntry = HashEntry & { used: number };

/** Bumped whenever the meaning of a key or an entry changes; old files are then ignored. 2: keys hold ctime. */
const VERSION = 2;
/** Oldest entries beyond this are dropped, so the file stays small however many runs pass through. */
const MAX_ENTRIES = 20_000;
/** How long a save waits for another process's save to finish before writing anyway. */
const LOCK_WAIT_MS = 5_000;
/** A save lock older than this was left by a process that died while saving. */
const STALE_LOCK_MS = 30_000;

async function readEntries(file: string): Promise<Map<string, StoredEntry>> {
  const entries = new Map<string, StoredEntry>();
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as {
      version?: number;
      entries?: Record<string, Partial<StoredEntry>>;
    };
    if (parsed.version === VERSION && parsed.entries !== null && typeof parsed.entries === "object") {
      for (const [key, entry] of Object.entries(parsed.entries)) {
        if (
          typeof entry.sha256 === "string" &&
          /^[0-9a-f]{64}$/.test(entry.sha256) &&
          typeof entry.size === "number" &&
          (entry.gitSha1 === undefined || (typeof entry.gitSha1 === "string" && /^[0-9a-f]{40}$/.test(entry.gitSha1)))
        ) {
          const probes =
            Array.isArray(entry.xetProbes) &&
            entry.xetProbes.every((probe) => typeof probe === "string" && /^[0-9a-f]{64}$/.test(probe))
              ? entry.xetProbes
              : undefined;
          entries.set(key, {
            sha256: entry.sha256,
            size: entry.size,
            gitSha1: entry.gitSha1,
            ...(probes === undefined ? {} : { xetProbes: probes }),
            used: typeof entry.used === "number" ? entry.used : 0,
          });
        }
      }
    }
  } catch {
    // Missing or unreadable cache: start empty.
  }
  return entries;
}

/**
 * Serialises saves of two processes sharing one HOME (read, merge, write must not interleave).
 * Best effort: a lock that cannot be taken in time is ignored, as losing cache entries only costs
 * hashing again.
 */
async function lockSave(lockFile: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
    }
    const age = await stat(lockFile).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      return () => Promise.resolve();
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
  }
}

/**
 * The persistent hash cache (issue: unchanged re-runs must not re-hash gigabytes). One JSON file in
 * the user's cache folder, outside any run; saves merge with what other uploads wrote meanwhile and
 * replace the file through a temp file and a rename, so a reader never sees half a file.
 */
export async function loadHashCache(cacheDir: string): Promise<HashCache> {
  const file = path.join(cacheDir, "hashes.json");
  const entries = await readEntries(file);
  /** Keys this run looked up or added: on save they win over what is on disk. */
  const touched = new Set<string>();
  const now = Date.now();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry) {
        entry.used = now;
        touched.add(key);
      }
      return entry && { sha256: entry.sha256, size: entry.size, gitSha1: entry.gitSha1, xetProbes: entry.xetProbes };
    },
    probesOf(sha256) {
      for (const entry of entries.values()) {
        if (entry.sha256 === sha256 && entry.xetProbes !== undefined) {
          return entry.xetProbes;
        }
      }
      return undefined;
    },
    set(key, entry) {
      entries.set(key, { ...entry, used: now });
      touched.add(key);
    },
    async save() {
      if (touched.size === 0) {
        return undefined;
      }
      const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      try {
        await createDirPath(cacheDir);
        const unlock = await lockSave(`${file}.lock`);
        try {
          const merged = await readEntries(file);
          for (const key of touched) {
            const entry = entries.get(key);
            if (entry !== undefined) {
              merged.set(key, entry);
            }
          }
          const kept = [...merged].sort(([, a], [, b]) => b.used - a.used).slice(0, MAX_ENTRIES);
          await writeFile(temp, JSON.stringify({ version: VERSION, entries: Object.fromEntries(kept) }));
          await rename(temp, file);
        } finally {
          await unlock();
        }
        touched.clear();
        return undefined;
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        return `could not save the hash cache in ${cacheDir} (${(error as NodeJS.ErrnoException).code ?? String(error)}); the next run will hash again`;
      }
    },
  };
}
