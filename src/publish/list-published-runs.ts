import { HubError } from "../errors.js";
import type { HubClient, HubRepo } from "../hub/hub-client.js";

/** The runs published in a stable repo (its tags) other than `except`; none when the repo does not exist yet. */
export async function listPublishedRuns(client: HubClient, repo: HubRepo, except: string): Promise<string[]> {
  try {
    return [...(await client.refs(repo)).tags.keys()].filter((tag) => tag !== except).sort();
  } catch (error) {
    if (error instanceof HubError && error.statusCode === 404) {
      return [];
    }
    throw error;
  }
}
