import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** Tags `revision` (a commit oid) as `tag`, as huggingface_hub's create_tag does; the Hub answers 409 if it exists. */
export async function createTag(
  call: HubCall,
  repo: HubRepo,
  tag: string,
  revision: string,
  message: string,
): Promise<void> {
  const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "tag", revision)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ tag, message }),
  });
  if (!response.ok) {
    throw await httpStatusErrorFrom(response);
  }
  await response.arrayBuffer();
}
