import { nextPageUrl } from "../../util/next-page-url.js";
import { apiPath } from "./api-path.js";
import type { RemoteFile } from "../diff-against-remote.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/**
 * Every file at a revision, by path (`GET /api/{type}s/{id}/tree/{rev}?recursive=true`, page by page
 * through `Link`). Ours, not @huggingface/hub's listFiles: that one sends the revision unencoded, and
 * the Hub reads `tree/refs/pr/1` as the revision `refs` and `tree/feature/x` as `feature`.
 */
export async function listTree(call: HubCall, repo: HubRepo, revision: string): Promise<Map<string, RemoteFile>> {
  const files = new Map<string, RemoteFile>();
  let url: string | undefined = `${call.hubUrl}${apiPath(repo, "tree", revision)}?recursive=true&expand=false`;
  while (url !== undefined) {
    const response: Response = await call.fetch(url, {
      headers: { accept: "application/json", Authorization: `Bearer ${call.accessToken}` },
    });
    if (!response.ok) {
      throw await httpStatusErrorFrom(response);
    }
    const entries = (await response.json()) as Array<{
      type: string;
      path: string;
      size?: number;
      oid?: string;
      lfs?: { oid?: string };
    }>;
    for (const entry of entries) {
      if (entry.type === "file") {
        files.set(entry.path, { size: entry.size ?? 0, oid: entry.oid ?? "", lfsSha256: entry.lfs?.oid });
      }
    }
    url = nextPageUrl(response.headers.get("link"));
  }
  return files;
}
