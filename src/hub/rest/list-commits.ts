import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubCommit, HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** The newest commits of a revision, newest first (the first page of the Hub's history). */
export async function listCommits(call: HubCall, repo: HubRepo, revision: string): Promise<HubCommit[]> {
  const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "commits", revision)}`, {
    headers: { Authorization: `Bearer ${call.accessToken}` },
  });
  if (!response.ok) {
    throw await httpStatusErrorFrom(response);
  }
  const entries = (await response.json()) as Array<{ id: string; title: string; message?: string }>;
  return entries.map((entry) => ({ oid: entry.id, title: entry.title, message: entry.message ?? "" }));
}
