import { readFile } from "node:fs/promises";
import path from "node:path";
import fg from "fast-glob";
import { detectArtifactKinds } from "../runs/detect-artifact-kinds.js";
import { exclusionReason } from "../runs/exclusion-reason.js";
import { findRuns } from "../runs/find-runs.js";
import type { Parsed, RunFile } from "../runs/inspect-run.js";
import { mapLimit } from "../util/map-limit.js";
import { loadConfigFor } from "./load-config-for.js";
import { modelsDirFor } from "./models-dir-for.js";
import type { CommandDeps, ProcessOptions } from "./process-artifacts.js";
import type { ListRunsResult } from "./types.js";

/** Only these JSON files decide a kind (peft_type), so a listing reads nothing else. */
const KIND_CONFIGS = ["adapter_config.json", "adapters/adapter_config.json"];

/** `--list-runs`: every run in the models dir, newest first, with its kind and size. Reads no weights. */
export async function listRuns(
  options: Pick<ProcessOptions, "modelDir" | "configPath">,
  deps: CommandDeps,
): Promise<ListRunsResult> {
  const loaded = await loadConfigFor(options, deps);
  const modelsDir = modelsDirFor(options, loaded, deps.env);
  const found = await findRuns(modelsDir.dir, modelsDir.source);
  const runs = await mapLimit(found.runs, 8, async (run) => {
    const dir = path.join(modelsDir.dir, run.name);
    const entries = await fg("**", { cwd: dir, dot: true, onlyFiles: true, stats: true, suppressErrors: true });
    const files: RunFile[] = entries
      .filter((entry) => exclusionReason(entry.path) === null)
      .map((entry) => ({
        rel: entry.path,
        abs: path.join(dir, entry.path),
        size: entry.stats?.size ?? 0,
        mtimeMs: entry.stats?.mtimeMs ?? 0,
        ino: entry.stats?.ino ?? 0,
        dev: entry.stats?.dev ?? 0,
      }));
    const json = new Map<string, Parsed<unknown>>();
    for (const rel of KIND_CONFIGS) {
      if (!files.some((file) => file.rel === rel)) {
        continue;
      }
      try {
        json.set(rel, { ok: true, value: JSON.parse(await readFile(path.join(dir, rel), "utf8")) as unknown });
      } catch (error) {
        json.set(rel, { ok: false, error: String(error) });
      }
    }
    const { kinds } = detectArtifactKinds({ files, json, excluded: [] });
    return {
      name: run.name,
      timestamp: run.timestamp,
      kinds,
      size: files.reduce((sum, file) => sum + file.size, 0),
      files: files.length,
    };
  });
  return { dir: modelsDir.dir, runs, ignored: found.ignored };
}
