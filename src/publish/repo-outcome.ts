import type { HubRepo } from "../hub/create-hub-client.js";

/** What publishing one repo did, proven by the Hub's answers. */
export interface RepoOutcome {
  repo: HubRepo;
  status: "uploaded" | "unchanged";
  url: string;
  created: boolean;
  commit: { oid: string; url: string } | undefined;
  /** Repo paths sent in the commit. */
  sent: string[];
  warnings: string[];
}
