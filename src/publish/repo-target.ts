import type { Gated, HubRepo } from "../hub/hub-client.js";

/** Where and how one repo of a run is published. */
export interface RepoTarget {
  repo: HubRepo;
  /** The branch to commit to (or to open the pull request against). */
  branch: string;
  createPr: boolean;
  /** One stable repo for every run: the commit is tagged with the run's name, and a tag is never moved. */
  tag: string | undefined;
  /** The branch ends up holding exactly this upload: remote files it lacks are deleted in the same commit. */
  deleteOthers: boolean;
  /** The user named this repo (--repo): it may hold other runs. */
  namedByUser: boolean;
  /** For a repo the tool creates. */
  private: boolean;
  gated: Gated | undefined;
  /** What the user asked for explicitly: an existing repo that differs gets a warning (or, with updateSettings, the change). */
  asked: { private: boolean | undefined; gated: Gated | undefined };
  updateSettings: boolean;
}
