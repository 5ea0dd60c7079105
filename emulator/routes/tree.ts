import { addXetHashes } from "../add-xet-hashes.js";
import { hubError } from "../hub-error.js";
import { jsonPage } from "../json-page.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import type { FakeRepo } from "../fake-repo.js";
import { treeEntries, type TreeEntry } from "../tree-entries.js";
import type { RepoType } from "../types.js";

/**
 * Listings by repo, then by commit and selection. A commit never changes, so a listing read page by
 * page (a 20,000-file tree is 20 pages) is built once, not once per page.
 */
const listings = new WeakMap<FakeRepo, Map<string, TreeEntry[] | undefined>>();

/**
 * `GET /api/{type}s/{id}/tree/{rev}[/{folder}]?recursive=&expand=`: files and folders at any revision,
 * paginated like the Hub (a `Link: <...>; rel="next"` header while more entries remain).
 */
export function treeRoute(ctx: RouteContext, type: RepoType, id: string, revision: string, folder: string): Response {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const resolved = repo.resolve(revision);
  if (!resolved) {
    return revisionNotFound(revision);
  }
  const params = ctx.url.searchParams;
  const recursive = params.get("recursive") === "true" || params.get("recursive") === "1";
  const expand = params.get("expand") === "true" || params.get("expand") === "1";
  const key = JSON.stringify([resolved.commit ?? null, folder, recursive, expand]);
  let byKey = listings.get(repo);
  if (byKey === undefined) {
    byKey = new Map();
    listings.set(repo, byKey);
  }
  const entries = byKey.has(key) ? byKey.get(key) : treeEntries(repo, resolved.commit, { folder, recursive }, expand);
  byKey.set(key, entries);
  if (!entries) {
    return hubError(404, `${folder} does not exist on "${revision}"`, "EntryNotFound");
  }
  return jsonPage(ctx, entries, (page) => addXetHashes(page, ctx.hub.xet));
}
