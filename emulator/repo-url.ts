import type { FakeRepo } from "./fake-repo.js";

/** The web URL of a repo as the Hub writes it: `/{id}` for a model, `/datasets/{id}` for a dataset. */
export function repoUrl(origin: string, repo: Pick<FakeRepo, "key">): string {
  return `${origin}/${repo.key}`;
}
