import { assessRun } from "../runs/assess-run.js";
import { discoverRuns } from "../runs/discover-runs.js";
import { mapLimit } from "../util/map-limit.js";
import { loadConfigFor } from "./load-config-for.js";
import { modelsDirFor } from "./models-dir-for.js";
import type { CommandDeps, ListedRun, ListRunsResult, ProcessOptions } from "./types.js";

/**
 * `--list-runs`: every run in the models dir, newest first, with its layout, whether it is complete
 * (and what it lacks if not), its kind and size. Reads listings, JSON and headers, never weights.
 */
export async function listRuns(
  options: Pick<ProcessOptions, "modelDir" | "configPath">,
  deps: CommandDeps,
): Promise<ListRunsResult> {
  const loaded = await loadConfigFor(options, deps);
  const modelsDir = modelsDirFor(options, loaded, deps.env);
  const found = await discoverRuns(modelsDir.dir, modelsDir.source);
  const runs = await mapLimit(found.runs, 8, async (run): Promise<ListedRun> => {
    const assessment = await assessRun(run);
    const status = assessment.issues.length > 0 ? "invalid" : assessment.missing.length > 0 ? "incomplete" : "complete";
    return {
      name: run.name,
      timestamp: run.timestamp,
      layout: assessment.layout,
      status,
      problems:
        status === "invalid"
          ? assessment.issues.map((issue) => `${issue.file}: ${issue.message}`)
          : status === "incomplete"
            ? assessment.missing
            : [],
      kinds: assessment.detected.kinds,
      size: assessment.inspection.files.reduce((sum, file) => sum + file.size, 0),
      files: assessment.inspection.files.length,
    };
  });
  return { dir: modelsDir.dir, runs, ignored: found.ignored };
}
