export interface RemoteFile {
  size: number;
  /** Git blob id (for LFS files, of the pointer). */
  oid: string;
  /** sha256 of the content, for LFS files. */
  lfsSha256: string | undefined;
}

export interface LocalFile {
  pathInRepo: string;
  size: number;
  sha256: string | undefined;
  gitSha1: string | undefined;
}

/**
 * Pure: which local files differ from what the repo already has. A file is unchanged only when a
 * hash proves it (sha256 for LFS files, git blob id for regular ones); when the proof needs a hash
 * we do not have yet, the file is `unknown` and the caller hashes it and asks again.
 */
export function diffAgainstRemote(
  files: readonly LocalFile[],
  remote: ReadonlyMap<string, RemoteFile>,
): { changed: string[]; unchanged: string[]; unknown: string[] } {
  const changed: string[] = [];
  const unchanged: string[] = [];
  const unknown: string[] = [];
  for (const file of files) {
    const theirs = remote.get(file.pathInRepo);
    if (theirs === undefined || theirs.size !== file.size) {
      changed.push(file.pathInRepo);
      continue;
    }
    const ours = theirs.lfsSha256 !== undefined ? file.sha256 : file.gitSha1;
    const expected = theirs.lfsSha256 ?? theirs.oid;
    if (ours === undefined) {
      unknown.push(file.pathInRepo);
    } else if (ours === expected) {
      unchanged.push(file.pathInRepo);
    } else {
      changed.push(file.pathInRepo);
    }
  }
  return { changed, unchanged, unknown };
}
