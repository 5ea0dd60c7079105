import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** Paths per paths-info request: a long list is asked in parts. */
const PATHS_PER_REQUEST = 500;

/**
 * The last commit that touched each of `paths` at a revision (`POST /api/{type}s/{id}/paths-info/{rev}`
 * with `expand`), by path; a path the revision lacks is left out.
 */
export async function readLastCommits(
  call: HubCall,
  repo: HubRepo,
  revision: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const last = new Map<string, string>();
  for (let start = 0; start < paths.length; start += PATHS_PER_REQUEST) {
    const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "paths-info", revision)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ paths: paths.slice(start, start + PATHS_PER_REQUEST), expand: true }),
    });
    if (!response.ok) {
      throw await httpStatusErrorFrom(response);
    }
    const entries = (await response.json()) as Array<{ path: string; lastCommit?: { id?: unknown } | null }>;
    for (const entry of entries) {
      if (typeof entry.lastCommit?.id === "string") {
        last.set(entry.path, entry.lastCommit.id);
      }
    }
  }
  return last;
}
