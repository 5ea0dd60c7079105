import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** Creates `branch` at `startingPoint` (a revision; the Hub's default branch when omitted). */
export async function createBranch(
  call: HubCall,
  repo: HubRepo,
  branch: string,
  startingPoint: string | undefined,
): Promise<void> {
  const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "branch", branch)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(startingPoint === undefined ? {} : { startingPoint }),
  });
  if (!response.ok) {
    throw await httpStatusErrorFrom(response);
  }
  await response.arrayBuffer();
}
