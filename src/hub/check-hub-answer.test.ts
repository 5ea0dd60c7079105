import { describe, expect, it } from "vitest";
import { checkHubAnswer } from "./check-hub-answer.js";

const COMMIT = "/api/models/alice/run/commit/main";
const OID = "a".repeat(40);

describe("checkHubAnswer", () => {
  it.each([
    ["POST", COMMIT, "application/json", JSON.stringify({ commitOid: OID, commitUrl: "u" }), undefined],
    ["POST", COMMIT, "application/json", "{}", "commitOid is missing"],
    [
      "POST",
      COMMIT,
      "application/json",
      JSON.stringify({ commitOid: "x", commitUrl: "u" }),
      "commitOid must be a 40-character commit id",
    ],
    ["POST", COMMIT, "text/html", "<html>maintenance</html>", "answered an HTML page instead of JSON"],
    ["POST", COMMIT, "application/json", "", "answered an empty body instead of JSON"],
    [
      "POST",
      "/api/datasets/a/b/preupload/main",
      "application/json",
      JSON.stringify({ files: null }),
      "files is missing",
    ],
    [
      "POST",
      "/api/models/a/b/preupload/main",
      "application/json",
      JSON.stringify({ files: [{ path: "x", uploadMode: "xet" }] }),
      expect.stringContaining("files.0.uploadMode") as unknown,
    ],
    [
      "POST",
      "/a/b.git/info/lfs/objects/batch",
      "application/json",
      JSON.stringify({ objects: {} }),
      expect.stringContaining("objects") as unknown,
    ],
    [
      "POST",
      "/a/b.git/info/lfs/objects/batch",
      "application/json",
      JSON.stringify({ objects: [{ oid: "o" }] }),
      "objects.0.size is missing",
    ],
    ["GET", "/api/models/a/b/revision/main", "application/json", JSON.stringify({ sha: null }), undefined],
    [
      "GET",
      "/api/models/a/b/revision/main",
      "application/json",
      JSON.stringify({ sha: 7 }),
      expect.stringContaining("sha") as unknown,
    ],
    [
      "GET",
      "/api/models/a/b/tree/main",
      "application/json",
      JSON.stringify({ files: [] }),
      expect.stringContaining("the answer") as unknown,
    ],
    ["GET", "/api/whoami-v2", "application/json", JSON.stringify({ type: "user" }), "name is missing"],
    ["GET", "/api/models/a/b/refs", "application/json", JSON.stringify({ branches: [], tags: [] }), undefined],
    ["GET", "/some/other/endpoint", "text/html", "<html/>", undefined],
  ])("%s %s %s %s → %s", (method, path, type, body, problem) => {
    expect(checkHubAnswer(method, path, type, body)).toEqual(problem);
  });
});
