import path from "node:path";
import { compareStrings } from "../util/compare-strings.js";
import { parseRunName } from "./parse-run-name.js";

export interface DirEntryInfo {
  name: string;
  isDirectory: boolean;
}

export interface RunCandidate {
  /** The folder's name: what `--run` takes and what the repo is named after. */
  name: string;
  path: string;
  /** Local wall-clock time from the name, ISO without zone: "2025-09-26T12:00:00". */
  timestamp: string;
  time: number;
}

export interface IgnoredEntry {
  name: string;
  reason: string;
}

/**
 * Pure: the entries of `dir` → runs newest first, plus every entry that was passed over and why.
 * Ordering is by the parsed timestamp only (never mtime, never a string sort, which would put
 * every `…sequential-` name before every `…sequential_` one). Equal timestamps fall back to the
 * name so the choice is stable.
 */
export function pickRuns(
  dir: string,
  entries: readonly DirEntryInfo[],
): { runs: RunCandidate[]; ignored: IgnoredEntry[] } {
  const runs: RunCandidate[] = [];
  const ignored: IgnoredEntry[] = [];
  for (const entry of entries) {
    const parsed = parseRunName(entry.name);
    if (!parsed.ok) {
      ignored.push({ name: entry.name, reason: parsed.reason });
    } else if (!entry.isDirectory) {
      ignored.push({ name: entry.name, reason: "not a directory" });
    } else {
      runs.push({ name: entry.name, path: path.join(dir, entry.name), timestamp: parsed.timestamp, time: parsed.time });
    }
  }
  runs.sort((a, b) => b.time - a.time || compareStrings(b.name, a.name));
  ignored.sort((a, b) => compareStrings(a.name, b.name));
  return { runs, ignored };
}
