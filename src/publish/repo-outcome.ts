import type { HubRepo, StorageTraffic } from "../hub/hub-client.js";

/** What publishing one repo did, proven by the Hub's answers. */
export interface RepoOutcome {
  repo: HubRepo;
  status: "uploaded" | "unchanged";
  url: string;
  created: boolean;
  commit: { oid: string; url: string } | undefined;
  /** The branch committed to; with a pull request, the one it was opened against. */
  branch: string;
  pullRequest: { url: string } | undefined;
  /** The run's tag in a stable repo, and whether this upload created it. */
  tag: { name: string; created: boolean } | undefined;
  /** Repo paths sent in the commit. */
  sent: string[];
  /** Repo paths deleted in the commit: files an earlier run of the tool published that this run lacks. */
  deleted: string[];
  /** Files this run lacks that the tool did not publish (a person's additions or edits): left in place. */
  kept: string[];
  warnings: string[];
  /** For an upload: what reaching the storage took (bytes sent, bytes the Hub already held). */
  storage?: StorageTraffic | undefined;
}
