import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface HashEntry {
  sha256: string;
  size: number;
  /** Git blob id, kept for files small enough to be stored as plain git blobs. */
  gitSha1?: string | undefined;
}

export interface HashCache {
  get(key: string): HashEntry | undefined;
  set(key: string, entry: HashEntry): void;
  /** Writes the cache if it changed; a failure is returned, never thrown: the cache is an optimisation. */
  save(): Promise<string | undefined>;
}

/** Bumped whenever the meaning of a key or an entry changes; old files are then ignored. */
const VERSION = 1;
/** Oldest entries beyond this are dropped, so the file stays small however many runs pass through. */
const MAX_ENTRIES = 20_000;

/**
 * The persistent hash cache (issue: unchanged re-runs must not re-hash gigabytes). One JSON file in
 * the user's cache folder, outside any run, written through a temp file and a rename.
 */
export async function loadHashCache(cacheDir: string): Promise<HashCache> {
  const file = path.join(cacheDir, "hashes.json");
  const entries = new Map<string, HashEntry & { used: number }>();
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as {
      version?: number;
      entries?: Record<string, HashEntry & { used: number }>;
    };
    if (parsed.version === VERSION && parsed.entries) {
      for (const [key, entry] of Object.entries(parsed.entries)) {
        if (typeof entry.sha256 === "string" && /^[0-9a-f]{64}$/.test(entry.sha256) && typeof entry.size === "number") {
          entries.set(key, entry);
        }
      }
    }
  } catch {
    // Missing or unreadable cache: start empty.
  }
  let dirty = false;
  const now = Date.now();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry) {
        entry.used = now;
        dirty = true;
      }
      return entry && { sha256: entry.sha256, size: entry.size, gitSha1: entry.gitSha1 };
    },
    set(key, entry) {
      entries.set(key, { ...entry, used: now });
      dirty = true;
    },
    async save() {
      if (!dirty) {
        return undefined;
      }
      const kept = [...entries].sort(([, a], [, b]) => b.used - a.used).slice(0, MAX_ENTRIES);
      const temp = `${file}.tmp-${process.pid}`;
      try {
        await mkdir(cacheDir, { recursive: true });
        await writeFile(temp, JSON.stringify({ version: VERSION, entries: Object.fromEntries(kept) }));
        await rename(temp, file);
        dirty = false;
        return undefined;
      } catch (error) {
        return `could not save the hash cache in ${cacheDir} (${(error as NodeJS.ErrnoException).code ?? String(error)}); the next run will hash again`;
      }
    },
  };
}
