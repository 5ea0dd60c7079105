import { addCommit } from "./add-commit.js";
import { defaultGitAttributes } from "./default-git-attributes.js";
import type { FakeRepo } from "./fake-repo.js";
import { gitBlobOid } from "./git-blob-oid.js";
import type { FakeFile } from "./types.js";

/**
 * What the Hub does when it creates a repo: main starts at an "initial commit" by the creator that
 * holds only `.gitattributes`, the LFS rules of the repo type's template.
 */
export function addInitialCommit(repo: FakeRepo, author: string): void {
  const content = Buffer.from(defaultGitAttributes(repo.type));
  const file: FakeFile = { size: content.byteLength, gitOid: gitBlobOid(content), lfs: undefined, content };
  const commit = addCommit(repo, {
    title: "initial commit",
    description: "",
    parent: undefined,
    declaredParent: undefined,
    branch: "main",
    pullRequest: false,
    author,
    operations: [{ key: "file", path: ".gitattributes" }],
    files: new Map([[".gitattributes", file]]),
  });
  repo.branches.set("main", commit.oid);
}
