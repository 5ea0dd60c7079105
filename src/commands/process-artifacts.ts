import { missingSummary } from "../runs/missing-summary.js";
import { selectRun } from "../runs/select-run.js";
import { openRunContext } from "../pipeline/open-run-context.js";
import type { ProcessResult } from "../results/types.js";
import type { CommandDeps, ProcessOptions } from "../command-options.js";
import { uploadRun } from "../pipeline/upload-run.js";

/**
 * The upload phase: config → the newest complete run → its upload (see uploadRun). Newer runs that
 * are still incomplete are skipped with a warning each.
 */
export async function processArtifacts(options: ProcessOptions, deps: CommandDeps): Promise<ProcessResult> {
  const { onEvent } = deps;
  const { modelsDir, context } = await openRunContext(options, deps);
  const selected = await selectRun({
    modelsDir: modelsDir.dir,
    describeSource: modelsDir.source,
    runName: options.runName,
  });
  onEvent({ type: "run-selected", run: { path: selected.assessment.run.path, selectedBy: selected.selectedBy } });
  for (const run of selected.skipped) {
    const message = `Skipped ${run.name}: incomplete (${missingSummary(run.missing)})`;
    context.warnings.push(message);
    onEvent({ type: "warning", message });
  }
  for (const entry of selected.ignored) {
    onEvent({ type: "info", verbose: true, message: `Ignored ${entry.name}: ${entry.reason}` });
  }
  onEvent({
    type: "info",
    verbose: true,
    message: `Visibility of new repos: ${context.settings.private ? "private" : "public"} (from ${context.settings.privateSource})`,
  });
  return uploadRun(selected, context);
}
