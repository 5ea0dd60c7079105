import type { HubRepo } from "../hub-client.js";

/** Pure: `/api/models/alice/x/<what>/<revision>`, with the revision encoded (branches may hold a slash). */
export function apiPath(repo: HubRepo, what: string, revision?: string): string {
  const base = `/api/${repo.type}s/${repo.id}/${what}`;
  return revision === undefined ? base : `${base}/${encodeURIComponent(revision)}`;
}
