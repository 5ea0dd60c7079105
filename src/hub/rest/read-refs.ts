import { apiPath } from "./api-path.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo, RepoRefs } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** The repo's branches and tags, each to its commit (GET /api/{type}s/{id}/refs). */
export async function readRefs(call: HubCall, repo: HubRepo): Promise<RepoRefs> {
  const response = await call.fetch(`${call.hubUrl}${apiPath(repo, "refs")}`, {
    headers: { Authorization: `Bearer ${call.accessToken}` },
  });
  if (!response.ok) {
    throw await httpStatusErrorFrom(response);
  }
  const refs = (await response.json()) as {
    branches: Array<{ name: string; targetCommit: string }>;
    tags: Array<{ name: string; targetCommit: string }>;
  };
  return {
    branches: new Map(refs.branches.map((ref) => [ref.name, ref.targetCommit])),
    tags: new Map(refs.tags.map((ref) => [ref.name, ref.targetCommit])),
  };
}
