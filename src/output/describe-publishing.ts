import type { CommandEvent, PublishingRepo } from "../command-event.js";
import { formatBytes } from "../util/format-bytes.js";

function describeRepo(repo: PublishingRepo): string {
  return `${repo.type === "dataset" ? "dataset " : ""}${repo.repoId} (${repo.files} ${repo.files === 1 ? "file" : "files"}, ${formatBytes(repo.bytes)})`;
}

/**
 * Pure: the line that opens an upload, before anything is sent, so a person and a CI log know at
 * once what is being published where and how big it is, e.g.
 * "Publishing run-20251015_120000 to alice/run-20251015_120000 (6 files, 25.1 KiB) and dataset
 * alice/run-20251015_120000-training-data (4 files, 2.31 KiB)". The sizes are the repos' whole
 * contents: what is already on the Hub is found and left out later.
 */
export function describePublishing(event: Extract<CommandEvent, { type: "publishing" }>): string {
  return `Publishing ${event.run} to ${event.repos.map(describeRepo).join(" and ")}`;
}
