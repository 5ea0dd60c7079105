import { PEFT_METADATA } from "../convert/convert-mlx-adapter.js";
import { serializeHeader } from "../safetensors/serialize-header.js";
import type { Conversion } from "../validate/validated-run.js";
import type { StagedRepo } from "./staged-upload.js";

const HOW: Record<string, string> = { sanitized: "sanitized copy", converted: "converted", generated: "generated" };

/**
 * The files of a repo that the tool wrote rather than copied from the run, as the bytes that will
 * be sent, each labelled for messages ("adapter_config.json (converted)"). Converted weights are
 * represented by their safetensors header, computed as the writer computes it, so they can be
 * checked before (or without) being written; their tensor data is the run's, transposed.
 */
export function generatedContents(
  repo: Pick<StagedRepo, "type" | "files">,
  conversion: Conversion | undefined,
): Array<{ label: string; bytes: Uint8Array }> {
  const where = repo.type === "dataset" ? "dataset repo " : "";
  const contents: Array<{ label: string; bytes: Uint8Array }> = [];
  for (const file of repo.files) {
    const label = `${where}${file.pathInRepo} (${HOW[file.origin] ?? file.origin})`;
    if (file.content.type === "bytes") {
      contents.push({ label, bytes: file.content.bytes });
    } else if (file.origin === "converted" && conversion !== undefined) {
      contents.push({ label, bytes: serializeHeader(conversion.plan.tensors, { ...PEFT_METADATA }).bytes });
    }
  }
  return contents;
}
