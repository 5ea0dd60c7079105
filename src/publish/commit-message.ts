import { RUN_TRAILER } from "../hub/commit/upload-trailer.js";
import type { UploadPlan } from "../plan/upload-plan.js";
import { KIND_LABELS } from "../runs/detect-artifact-kinds.js";
import type { StagedFile } from "../stage/staged-upload.js";
import { formatBytes } from "../util/format-bytes.js";

/** Pure: a repo's commit title and message; the message names the run in a trailer the tool reads back. */
export function commitMessage(params: {
  plan: UploadPlan;
  type: "model" | "dataset";
  files: readonly StagedFile[];
  toolVersion: string;
  timestamp: string | undefined;
}): { title: string; description: string } {
  const { plan } = params;
  const totalBytes = params.files.reduce((sum, file) => sum + file.size, 0);
  const title =
    params.type === "dataset"
      ? `Upload training data of ${plan.runName}`
      : `Upload ${plan.runName} (${plan.kinds.map((kind) => KIND_LABELS[kind]).join(" + ")})`;
  const description = [
    `Uploaded by process-artifacts ${params.toolVersion} from training run ${plan.runName}${params.timestamp === undefined ? "" : ` (${params.timestamp.replace("T", " ")})`}.`,
    `${params.files.length} files, ${formatBytes(totalBytes)}.`,
    "",
    // Lets a later upload tell which run a repo holds, so two runs never share a repo by accident.
    `${RUN_TRAILER}: ${plan.runName}`,
  ].join("\n");
  return { title, description };
}
