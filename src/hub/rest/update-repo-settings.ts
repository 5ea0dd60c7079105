import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { Gated, HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** Changes a repo's visibility and/or access gating (PUT /api/{type}s/{id}/settings). */
export async function updateRepoSettings(
  call: HubCall,
  repo: HubRepo,
  settings: { private?: boolean; gated?: Gated },
): Promise<void> {
  const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "settings")}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(settings),
  });
  if (!response.ok) {
    throw await httpStatusErrorFrom(response);
  }
  await response.arrayBuffer();
}
