import { InterruptedError, ProcessArtifactsError } from "../errors.js";
import { checkPublishedRuns } from "../publish/check-published-runs.js";
import { openReadSession } from "../publish/open-read-session.js";
import { abandonedRuns } from "../runs/abandoned-runs.js";
import { assessRun } from "../runs/assess-run.js";
import { describeIssue } from "../runs/describe-issue.js";
import { missingSummary } from "../runs/missing-summary.js";
import type { RunAssessment } from "../runs/run-assessment.js";
import { discoverRuns } from "../runs/discover-runs.js";
import { openRunContext } from "../pipeline/open-run-context.js";
import type { AllResult, BacklogEntry } from "../results/types.js";
import type { CommandDeps, ProcessOptions } from "../command-options.js";
import { uploadRun } from "../pipeline/upload-run.js";
import { problemsOf } from "../validate/problems-of.js";
import { sessionParams } from "../pipeline/session-params.js";

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ProcessArtifactsError ? error.hint : undefined;
  return hint === undefined ? message : `${message} — ${hint}`;
}

/**
 * `--all`: every complete run of the models dir, oldest first, each exactly as a single upload
 * would go (a run already published reports "unchanged"). One failure does not stop the others;
 * an interruption stops them all. Every run is assessed first, so an incomplete run can be told
 * apart: still training (nothing newer is finished) or abandoned (counted as a failure).
 */
export async function publishAll(options: ProcessOptions, deps: CommandDeps): Promise<AllResult> {
  const { onEvent } = deps;
  const { modelsDir, context } = await openRunContext(options, deps);
  const { settings } = context;
  const found = await discoverRuns(modelsDir.dir, modelsDir.source);
  const since =
    options.since === undefined
      ? undefined
      : `${options.since.slice(0, 4)}-${options.since.slice(4, 6)}-${options.since.slice(6, 8)}`;
  const runs = [...found.runs].reverse().filter((run) => since === undefined || run.timestamp >= since);
  for (const entry of found.ignored) {
    onEvent({ type: "info", verbose: true, message: `Ignored ${entry.name}: ${entry.reason}` });
  }
  // A dry run sends nothing, but may look: which runs would be new, which are published already.
  const reader = options.dryRun
    ? await openReadSession({ ...sessionParams(options, settings, deps), offline: options.offline === true })
    : undefined;
  const isPublished =
    reader === undefined
      ? undefined
      : checkPublishedRuns({
          client: reader.client,
          repoId: settings.repoId,
          namespace: settings.repoId === undefined ? await reader.namespace() : undefined,
        });
  const assessed: Array<{ run: (typeof runs)[number]; assessment: RunAssessment }> = [];
  for (const run of runs) {
    assessed.push({ run, assessment: await assessRun(run) });
  }
  const incomplete = (assessment: RunAssessment): boolean =>
    assessment.issues.length === 0 && assessment.missing.length > 0;
  const abandoned = abandonedRuns(
    assessed.map(({ run, assessment }) => ({ name: run.name, time: run.time, incomplete: incomplete(assessment) })),
  );
  const entries: BacklogEntry[] = [];
  for (const [index, { run, assessment }] of assessed.entries()) {
    const position = `[${index + 1}/${runs.length}] ${run.name}`;
    if (incomplete(assessment)) {
      const stillTraining = !abandoned.has(run.name);
      entries.push({
        run: run.name,
        status: "incomplete",
        repoId: undefined,
        url: undefined,
        commit: undefined,
        error: missingSummary(assessment.missing),
        problems: assessment.missing,
        stillTraining,
      });
      onEvent(
        stillTraining
          ? {
              type: "info",
              verbose: false,
              message: `${position}: incomplete, skipped (${missingSummary(assessment.missing)})`,
            }
          : {
              type: "warning",
              message: `${position}: incomplete while a newer run has finished, so not still training (${missingSummary(assessment.missing)})`,
            },
      );
      continue;
    }
    try {
      const result = await uploadRun(
        { assessment, selectedBy: "newest", skipped: [], ignored: [] },
        { ...context, warnings: [...context.warnings] },
      );
      const published = isPublished === undefined ? undefined : await isPublished(run.name);
      entries.push({
        run: run.name,
        status: result.status,
        ...(published === undefined ? {} : { published }),
        repoId: result.repoId,
        url: result.pullRequest?.url ?? result.url,
        commit: result.commit?.oid,
        ...(result.tag === undefined ? {} : { tag: result.tag.name }),
        ...(result.dataset === undefined
          ? {}
          : {
              dataset: {
                status: result.dataset.status,
                repoId: result.dataset.repoId,
                commit: result.dataset.commit?.oid,
              },
            }),
      });
      onEvent({
        type: "info",
        verbose: false,
        message: `${position}: ${result.status}${published === undefined ? "" : published ? " (already published)" : " (not published yet)"}${result.commit === undefined ? "" : ` (${result.commit.oid.slice(0, 8)})`}`,
      });
    } catch (error) {
      if (error instanceof InterruptedError || deps.signal?.aborted) {
        throw error;
      }
      const problems = problemsOf(error)?.issues;
      entries.push({
        run: run.name,
        status: "failed",
        repoId: undefined,
        url: undefined,
        commit: undefined,
        error: oneLine(error),
        ...(problems === undefined ? {} : { problems: [...problems] }),
      });
      // Each problem on a line of its own, as a single run's error lists them.
      onEvent({
        type: "warning",
        message: [
          `${position}: failed: ${oneLine(error)}`,
          ...(problems ?? []).map((p) => `  - ${describeIssue(p)}`),
        ].join("\n"),
      });
    }
  }
  return { dir: modelsDir.dir, runs: entries };
}
