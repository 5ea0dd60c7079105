import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/**
 * The repo's open pull requests as the Hub lists them (`GET /api/{type}s/{id}/discussions
 * ?type=pull_request&status=open`, page by page until `count` is reached), as huggingface_hub's
 * get_repo_discussions reads them.
 */
export async function listPullRequests(call: HubCall, repo: HubRepo): Promise<Array<{ num: number; title: string }>> {
  const found: Array<{ num: number; title: string }> = [];
  for (let page = 0; ; page++) {
    const response = await call.fetch(
      `${call.hubUrl}${apiPath(repo, "discussions")}?type=pull_request&status=open&p=${page}`,
      { headers: { Authorization: `Bearer ${call.accessToken}` } },
    );
    if (!response.ok) {
      throw await httpStatusErrorFrom(response);
    }
    const body = (await response.json()) as {
      discussions: Array<{ num: number; title: string; status: string; isPullRequest: boolean }>;
      count: number;
      start: number;
    };
    for (const entry of body.discussions) {
      if (entry.isPullRequest && (entry.status === "open" || entry.status === "draft")) {
        found.push({ num: entry.num, title: entry.title });
      }
    }
    if (body.discussions.length === 0 || body.start + body.discussions.length >= body.count) {
      return found;
    }
  }
}
