import { describe, expect, it } from "vitest";
import { repoOfPath } from "./repo-of-path.js";

describe("repoOfPath", () => {
  it.each([
    ["/api/models/missing_repo_id/commits/main", { type: "model", id: "missing_repo_id" }],
    ["/api/models/repo-that-does-not-exist", { type: "model", id: "repo-that-does-not-exist" }],
    ["/api/models/repo-x/revision/main", { type: "model", id: "repo-x" }],
    ["/api/datasets/alice/x/unknown/thing", { type: "dataset", id: "alice/x" }],
    ["/repo-x/resolve/main/file.txt", { type: "model", id: "repo-x" }],
    ["/alice/x/resolve/main/file.txt", { type: "model", id: "alice/x" }],
    ["/datasets/alice/x/raw/main/a", { type: "dataset", id: "alice/x" }],
  ])("%s names %j", (rawPath, expected) => {
    expect(repoOfPath(rawPath)).toEqual(expected);
  });

  it.each(["/api/whoami-v2x", "/api/spaces/a/b", "/__lfs/abc", "/", "/api/models/%E0%A4%A"])(
    "%s names no repo",
    (p) => {
      expect(repoOfPath(p)).toBeUndefined();
    },
  );
});
