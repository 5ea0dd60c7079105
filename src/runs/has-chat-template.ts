import { isPlainObject } from "../util/is-plain-object.js";
import type { RunInspection } from "./inspect-run.js";

/** Pure: whether a model folder's tokenizer carries a chat template (chat_template.jinja, or in tokenizer_config.json). */
export function hasChatTemplate(inspection: Pick<RunInspection, "files" | "json">): boolean {
  const tokenizerConfig = inspection.json.get("tokenizer_config.json");
  return (
    inspection.files.some((file) => file.rel === "chat_template.jinja") ||
    (tokenizerConfig?.ok === true && isPlainObject(tokenizerConfig.value) && "chat_template" in tokenizerConfig.value)
  );
}
