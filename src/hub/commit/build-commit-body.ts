/** One file line of a commit: stored in LFS (by its sha256), or sent inline. */
export type CommitFileLine =
  { path: string; lfs: { oid: string; size: number } } | { path: string; content: Uint8Array };

export interface CommitBodyParams {
  title: string;
  description: string;
  parentCommit: string | undefined;
  files: readonly CommitFileLine[];
  deletions: readonly string[];
}

/**
 * The NDJSON body of a commit, line for line and key for key what @huggingface/hub's commitIter
 * sends: a header, then each file in order (`file` with base64 content, or `lfsFile`), then the
 * deletions. A parent left undefined is left out, as JSON.stringify leaves it out there.
 */
export function buildCommitBody(params: CommitBodyParams): string {
  const lines: unknown[] = [
    {
      key: "header",
      value: { summary: params.title, description: params.description, parentCommit: params.parentCommit },
    },
    ...params.files.map((file) =>
      "lfs" in file
        ? { key: "lfsFile", value: { path: file.path, algo: "sha256", size: file.lfs.size, oid: file.lfs.oid } }
        : {
            key: "file",
            value: { content: Buffer.from(file.content).toString("base64"), path: file.path, encoding: "base64" },
          },
    ),
    ...params.deletions.map((path) => ({ key: "deletedFile", value: { path } })),
  ];
  return lines.map((line) => JSON.stringify(line)).join("\n");
}
