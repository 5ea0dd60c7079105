import { describe, expect, it } from "vitest";
import { parseHubPath } from "./parse-hub-path.js";

describe("parseHubPath", () => {
  it.each([
    [
      "/api/models/alice/x",
      { kind: "repo", type: "model", id: "alice/x", action: "info", revision: undefined, rest: "" },
    ],
    [
      "/api/datasets/alice/x/revision/refs%2Fpr%2F3",
      { kind: "repo", type: "dataset", id: "alice/x", action: "info", revision: "refs/pr/3", rest: "" },
    ],
    [
      "/api/models/alice/x/tree/refs%2Fpr%2F1/sub/dir",
      { kind: "repo", type: "model", id: "alice/x", action: "tree", revision: "refs/pr/1", rest: "sub/dir" },
    ],
    // As on the Hub, an unencoded slash ends the revision: `refs/pr/1` is the revision `refs`.
    [
      "/api/models/alice/x/tree/refs/pr/1/sub/dir",
      { kind: "repo", type: "model", id: "alice/x", action: "tree", revision: "refs", rest: "pr/1/sub/dir" },
    ],
    [
      "/api/models/alice/x/tree/feature/x",
      { kind: "repo", type: "model", id: "alice/x", action: "tree", revision: "feature", rest: "x" },
    ],
    [
      "/api/models/alice/x/tree/main/sub%2Fdir",
      { kind: "repo", type: "model", id: "alice/x", action: "tree", revision: "main", rest: "sub/dir" },
    ],
    [
      "/api/models/alice/x/preupload/refs/pr/10",
      { kind: "repo", type: "model", id: "alice/x", action: "preupload", revision: "refs", rest: "pr/10" },
    ],
    [
      "/api/models/alice/x/revision/feature/x",
      { kind: "repo", type: "model", id: "alice/x", action: "info", revision: "feature", rest: "x" },
    ],
    [
      "/api/models/alice/x/commits/refs%252Fpr%252F2",
      { kind: "repo", type: "model", id: "alice/x", action: "commits", revision: "refs%2Fpr%2F2", rest: "" },
    ],
    [
      "/api/models/alice/x/tree/main",
      { kind: "repo", type: "model", id: "alice/x", action: "tree", revision: "main", rest: "" },
    ],
    [
      "/api/models/alice/x/commit/my%2Fbranch",
      { kind: "repo", type: "model", id: "alice/x", action: "commit", revision: "my/branch", rest: "" },
    ],
    [
      "/api/datasets/alice/x/tag/v1.0",
      { kind: "repo", type: "dataset", id: "alice/x", action: "tag", revision: "v1.0", rest: "" },
    ],
    [
      "/api/models/alice/x/refs",
      { kind: "repo", type: "model", id: "alice/x", action: "refs", revision: undefined, rest: "" },
    ],
    [
      "/alice/x/resolve/refs%2Fpr%2F2/a/b.bin",
      { kind: "file", mode: "resolve", type: "model", id: "alice/x", revision: "refs/pr/2", path: "a/b.bin" },
    ],
    [
      "/alice/x/resolve/refs/pr/2/a/b.bin",
      { kind: "file", mode: "resolve", type: "model", id: "alice/x", revision: "refs", path: "pr/2/a/b.bin" },
    ],
    [
      "/datasets/alice/x/raw/main/README.md",
      { kind: "file", mode: "raw", type: "dataset", id: "alice/x", revision: "main", path: "README.md" },
    ],
    ["/datasets/alice/x.git/info/lfs/objects/batch", { kind: "lfs-batch", type: "dataset", id: "alice/x" }],
    ["/alice/x.git/info/lfs/objects/batch", { kind: "lfs-batch", type: "model", id: "alice/x" }],
    [`/__lfs/${"a".repeat(64)}/part/3`, { kind: "lfs-put", oid: "a".repeat(64), part: 3 }],
    ["/__emulator/state", { kind: "emulator-state" }],
    ["/api/repos/move", { kind: "move-repo" }],
    ["/api/models", { kind: "list-repos", type: "model" }],
    ["/api/datasets", { kind: "list-repos", type: "dataset" }],
    [
      "/api/models/alice/x/discussions",
      { kind: "discussions", type: "model", id: "alice/x", num: undefined, rest: [] },
    ],
    [
      "/api/datasets/alice/x/discussions/12/comment/abc/edit",
      { kind: "discussions", type: "dataset", id: "alice/x", num: 12, rest: ["comment", "abc", "edit"] },
    ],
    [
      "/api/models/alice/x/super-squash/refs%2Fpr%2F1",
      { kind: "repo", type: "model", id: "alice/x", action: "super-squash", revision: "refs/pr/1", rest: "" },
    ],
    ["/api/buckets/me", { kind: "buckets", namespace: "me" }],
    ["/api/buckets/alice/b", { kind: "bucket", id: "alice/b", action: "info", rest: "" }],
    ["/api/buckets/alice/b/tree", { kind: "bucket", id: "alice/b", action: "tree", rest: "" }],
    // huggingface_hub sends the prefix as one encoded segment.
    ["/api/buckets/alice/b/tree/logs%2Fsub%2F", { kind: "bucket", id: "alice/b", action: "tree", rest: "logs/sub/" }],
    ["/api/buckets/alice/b/xet-write-token", { kind: "bucket", id: "alice/b", action: "xet-write-token", rest: "" }],
    ["/api/buckets/alice/b/batch", { kind: "bucket", id: "alice/b", action: "batch", rest: "" }],
    ["/buckets/alice/b/resolve/logs/a%20b.txt", { kind: "bucket-file", id: "alice/b", path: "logs/a b.txt" }],
  ])("%s", (path, expected) => {
    expect(parseHubPath(path)).toEqual(expected);
  });

  it.each([
    "/api/models/alice",
    "/api/models/alice/x/branch/feature/x",
    "/api/models/alice/x/unknown",
    "/alice/x/resolve/main",
    "/alice/x/blob/main/f",
    "/api/models/alice/x/%E0%A4%A",
    "/api/models/alice/x/discussions/0",
    "/api/models/alice/x/discussions/abc",
    "/api/buckets/alice/b/batch/more",
    "/api/buckets/alice/b/xet-write-token/main",
    "/buckets/alice/b/resolve/",
  ])("no route for %s", (path) => {
    expect(parseHubPath(path)).toBeUndefined();
  });

  it("refuses Spaces with a reason instead of a silent 404", () => {
    expect(parseHubPath("/api/spaces/alice/app")).toMatchObject({ kind: "unsupported" });
  });
});
