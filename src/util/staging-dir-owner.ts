/**
 * Staging folders are named `process-artifacts-staging-<pid>-<startedAt>-<hostTag>-<random>`: the
 * owner is in the name itself, so the folder and its owner marker appear in one atomic mkdir and a
 * later run can tell this tool's folders, and whether their process is gone, from the name alone.
 */
export const STAGING_DIR_PREFIX = "process-artifacts-staging-";

export interface StagingOwner {
  pid: number;
  /** `hostTag` of the host the owning process ran on. */
  hostTag: string;
  /** When the owning process made the folder, in ms since the epoch. */
  startedAt: number;
}

const PATTERN = /^process-artifacts-staging-(\d{1,10})-(\d{1,15})-([0-9a-f]{8})-[A-Za-z0-9]{6}$/;

/** Pure: the owner encoded in a staging folder's name, or undefined when the name is not one of ours. */
export function stagingDirOwner(name: string): StagingOwner | undefined {
  const match = PATTERN.exec(name);
  if (match === null) {
    return undefined;
  }
  const [, pid, startedAt, tag] = match;
  return { pid: Number(pid), startedAt: Number(startedAt), hostTag: tag ?? "" };
}
