import type { DetectedArtifacts } from "./detect-artifact-kinds.js";
import type { RunInspection } from "./inspect-run.js";

const TRUNCATED = /^truncated:/;

/**
 * Pure: what the model folder lacks to be complete, or [] when it is complete or broken in other
 * ways. Missing or half-written model files, and nothing else wrong, is what a run still in
 * training looks like: such a run is skipped for an older one. Any other problem (an unparsable
 * file, a link out of the run, ...) is left to validation, which refuses the run with every
 * problem listed. `where` prefixes file names so messages name them from the run folder.
 */
export function missingParts(
  inspection: Pick<RunInspection, "issues">,
  detected: DetectedArtifacts,
  where: string,
): string[] {
  const at = (file: string): string => (where === "" ? file : `${where}/${file}`);
  const brokenOtherwise =
    inspection.issues.some((issue) => !TRUNCATED.test(issue.message)) ||
    detected.issues.some((issue) => !issue.message.startsWith("missing"));
  if (brokenOtherwise) {
    return [];
  }
  const missing = [
    ...detected.issues.map((issue) => `${at(issue.file)} is ${issue.message}`),
    ...inspection.issues.map((issue) => `${at(issue.file)} is shorter than its header says (still being written?)`),
  ];
  if (detected.kinds.length === 0 && missing.length === 0) {
    missing.push(
      `${where === "" ? "the run folder" : `${where}/`} holds no model (adapters/adapters.safetensors + adapter_config.json, or a fused model)`,
    );
  }
  return missing;
}
