import { describe, expect, it } from "vitest";
import { diffAgainstRemote, type LocalFile, type RemoteFile } from "./diff-against-remote.js";

const SHA256 = "a".repeat(64);
const OTHER_SHA256 = "b".repeat(64);
const OID = "c".repeat(40);
const OTHER_OID = "d".repeat(40);

const regular: RemoteFile = { size: 10, oid: OID, lfsSha256: undefined };
// An LFS file's git oid is that of its pointer, never of the content.
const lfs: RemoteFile = { size: 10, oid: OID, lfsSha256: SHA256 };

type Verdict = "changed" | "unchanged" | "unknown";

describe("diffAgainstRemote", () => {
  it.each<[string, RemoteFile | undefined, Omit<LocalFile, "pathInRepo">, Verdict]>([
    ["not in the repo", undefined, { size: 10, sha256: SHA256, gitSha1: OID }, "changed"],
    ["a different size, same hashes", { ...lfs, size: 11 }, { size: 10, sha256: SHA256, gitSha1: OID }, "changed"],
    ["regular, same git blob id", regular, { size: 10, sha256: undefined, gitSha1: OID }, "unchanged"],
    ["regular, other git blob id", regular, { size: 10, sha256: undefined, gitSha1: OTHER_OID }, "changed"],
    ["regular, no git blob id yet", regular, { size: 10, sha256: SHA256, gitSha1: undefined }, "unknown"],
    ["regular, a sha256 proves nothing", regular, { size: 10, sha256: OID, gitSha1: OTHER_OID }, "changed"],
    ["LFS, same sha256", lfs, { size: 10, sha256: SHA256, gitSha1: undefined }, "unchanged"],
    ["LFS, other sha256", lfs, { size: 10, sha256: OTHER_SHA256, gitSha1: OID }, "changed"],
    ["LFS, no sha256 yet", lfs, { size: 10, sha256: undefined, gitSha1: OID }, "unknown"],
    ["LFS, the pointer's oid proves nothing", lfs, { size: 10, sha256: OID, gitSha1: OID }, "changed"],
  ])("%s → %s", (_name, theirs, ours, verdict) => {
    const remote = new Map(theirs === undefined ? [] : [["f.bin", theirs] as const]);
    const expected = { changed: [], unchanged: [], unknown: [], [verdict]: ["f.bin"] };
    expect(diffAgainstRemote([{ pathInRepo: "f.bin", ...ours }], remote)).toEqual(expected);
  });

  it("judges every file on its own, in order", () => {
    const remote = new Map([
      ["a", regular],
      ["b", lfs],
      ["c", regular],
    ]);
    const files: LocalFile[] = [
      { pathInRepo: "a", size: 10, sha256: undefined, gitSha1: OID },
      { pathInRepo: "new", size: 1, sha256: undefined, gitSha1: undefined },
      { pathInRepo: "b", size: 10, sha256: undefined, gitSha1: undefined },
      { pathInRepo: "c", size: 10, sha256: undefined, gitSha1: OTHER_OID },
      { pathInRepo: "b2", size: 10, sha256: SHA256, gitSha1: OID },
    ];
    expect(diffAgainstRemote(files, remote)).toEqual({ changed: ["new", "c", "b2"], unchanged: ["a"], unknown: ["b"] });
  });
});
