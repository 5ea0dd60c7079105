import type { RunIssue } from "../errors.js";
import type { DetectedArtifacts } from "./detect-artifact-kinds.js";
import type { RunInspection } from "./inspect-run.js";

const TRUNCATED = /^truncated:/;

/**
 * Pure: what the model folder lacks to be complete, or [] when it is complete or broken in other
 * ways. Missing or half-written model files, and nothing else wrong, is what a run still in
 * training looks like: such a run is skipped for an older one. Any other problem (an unparsable
 * file, a link out of the run, ...) is left to validation, which refuses the run with every
 * problem listed. `where` prefixes file names so they are named from the run folder; each message
 * is a whole sentence that names its file, as the warnings and `--list-runs` print it.
 */
export function missingParts(
  inspection: Pick<RunInspection, "issues">,
  detected: DetectedArtifacts,
  where: string,
): RunIssue[] {
  const at = (file: string): string => (where === "" ? file : `${where}/${file}`);
  const brokenOtherwise =
    inspection.issues.some((issue) => !TRUNCATED.test(issue.message)) ||
    detected.issues.some((issue) => !issue.message.startsWith("missing"));
  if (brokenOtherwise) {
    return [];
  }
  const missing: RunIssue[] = [
    ...detected.issues.map((issue) => ({ file: at(issue.file), message: `${at(issue.file)} is ${issue.message}` })),
    ...inspection.issues.map((issue) => ({
      file: at(issue.file),
      message: `${at(issue.file)} is shorter than its header says (still being written?)`,
    })),
  ];
  if (detected.kinds.length === 0 && missing.length === 0) {
    missing.push({
      file: where,
      message: `${where === "" ? "the run folder" : `${where}/`} holds no model (adapters/adapters.safetensors + adapter_config.json, or a fused model)`,
    });
  }
  return missing;
}
