import type { RunIssue } from "../errors.js";
import type { ScanOutcome } from "./scan-content.js";

/**
 * Pure: one issue per secret found in a file (or the reason it could not be checked), each naming
 * where it is — the line, the line of the decompressed text, the safetensors header — and how it
 * was written, with the secret masked.
 */
export function secretIssues(file: string, outcome: ScanOutcome): RunIssue[] {
  if ("problem" in outcome) {
    return [{ file, message: outcome.problem }];
  }
  return outcome.hits.map((hit) => {
    const place =
      outcome.container === "safetensors"
        ? "in its safetensors header"
        : outcome.container === "gzip"
          ? `line ${hit.line} of its decompressed text`
          : `line ${hit.line}`;
    const how = hit.encoding === "base64" ? " (base64-encoded)" : hit.encoding === "escaped" ? " (escaped)" : "";
    return {
      file,
      // A line of the file itself only: a decompressed text's line is not one an editor would show.
      ...(outcome.container === "safetensors" || outcome.container === "gzip" ? {} : { line: hit.line }),
      message: `${place}${how}: ${hit.kind} (${hit.masked}); remove it — a secret must never be published`,
    };
  });
}
