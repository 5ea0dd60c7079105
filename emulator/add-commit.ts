import { createHash, randomBytes } from "node:crypto";
import type { FakeRepo } from "./fake-repo.js";
import type { FakeCommit } from "./types.js";

/**
 * Records a new commit in the repo (moving no ref: the caller decides which ref points at it) and
 * returns it. Its oid is a fresh 40-hex id, its date now.
 */
export function addCommit(repo: FakeRepo, fields: Omit<FakeCommit, "oid" | "date">): FakeCommit {
  const date = new Date().toISOString();
  const oid = createHash("sha1")
    .update(`${repo.key}\n${fields.parent ?? ""}\n${fields.title}\n${date}\n${randomBytes(8).toString("hex")}`)
    .digest("hex");
  const commit: FakeCommit = { ...fields, oid, date };
  repo.allCommits.set(oid, commit);
  return commit;
}
