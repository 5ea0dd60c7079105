import { assessRun } from "../runs/assess-run.js";
import { runRelativePath } from "../runs/run-relative-path.js";
import { collectRunIssues } from "../validate/collect-run-issues.js";
import { discoverRuns } from "../runs/discover-runs.js";
import { checkPublishedRuns } from "../publish/check-published-runs.js";
import { openReadSession } from "../publish/open-read-session.js";
import { mapLimit } from "../util/map-limit.js";
import { uploadSettings } from "../pipeline/upload-settings.js";
import { sessionParams } from "../pipeline/session-params.js";
import { loadConfigFor } from "../config/load-config-for.js";
import { modelsDirFor } from "../config/models-dir-for.js";
import type { ListedRun, ListRunsResult } from "../results/types.js";
import type { CommandDeps, ProcessOptions } from "../command-options.js";

/**
 * `--list-runs`: every run in the models dir, newest first, with its layout, whether it is complete
 * (and what it lacks if not), its kind and size. Reads listings, JSON and headers, never weights.
 */
export async function listRuns(options: ProcessOptions, deps: CommandDeps): Promise<ListRunsResult> {
  const loaded = await loadConfigFor(options, deps);
  const settings = uploadSettings(options, loaded.config);
  const modelsDir = modelsDirFor(options, loaded, deps.env);
  const found = await discoverRuns(modelsDir.dir, modelsDir.source);
  const runs = await mapLimit(found.runs, 8, async (run): Promise<ListedRun> => {
    const assessment = await assessRun(run);
    const incomplete = assessment.issues.length === 0 && assessment.missing.length > 0;
    // What validation would refuse, as far as the listing read it (headers and JSON; secrets are not scanned here).
    const invalid = incomplete
      ? []
      : [
          ...assessment.issues,
          ...collectRunIssues(assessment.inspection, assessment.detected).issues.map((issue) => ({
            ...issue,
            file: runRelativePath(assessment.modelDir, issue.file),
          })),
        ];
    const status = invalid.length > 0 ? "invalid" : incomplete ? "incomplete" : "complete";
    return {
      name: run.name,
      timestamp: run.timestamp,
      layout: assessment.layout,
      status,
      problems: incomplete ? assessment.missing : invalid,
      kinds: assessment.detected.kinds,
      size: assessment.inspection.files.reduce((sum, file) => sum + file.size, 0),
      files: assessment.inspection.files.length,
    };
  });
  // With a token and a Hub to ask (never the production Hub from a test runner), say what is published.
  // Only a complete run can have been published as it is; a folder of half-written runs asks nothing.
  const complete = runs.filter((run) => run.status === "complete");
  if (complete.length === 0) {
    return { dir: modelsDir.dir, runs, ignored: found.ignored };
  }
  const session = await openReadSession({
    ...sessionParams(options, settings, deps),
    offline: options.offline === true,
  });
  if (session !== undefined) {
    try {
      const namespace = settings.repoId === undefined ? await session.namespace() : undefined;
      const isPublished = checkPublishedRuns({ client: session.client, repoId: settings.repoId, namespace });
      await mapLimit(complete, 4, async (run) => {
        run.published = await isPublished(run.name);
      });
    } catch (error) {
      if (deps.signal?.aborted) {
        throw error;
      }
      // A listing is useful without it: say why the column is missing, and go on.
      for (const run of complete) {
        run.published = undefined;
      }
      deps.onEvent({
        type: "warning",
        message: `Could not ask the Hub which runs are published (${error instanceof Error ? error.message : String(error)}); pass --offline to skip it`,
      });
    }
  }
  return { dir: modelsDir.dir, runs, ignored: found.ignored };
}
