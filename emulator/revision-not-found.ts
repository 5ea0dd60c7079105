import { hubError } from "./hub-error.js";

/** The Hub's answer for a revision that names nothing (huggingface_hub: RevisionNotFoundError). */
export function revisionNotFound(revision: string): Response {
  return hubError(404, `Invalid rev id: ${revision}`, "RevisionNotFound");
}
