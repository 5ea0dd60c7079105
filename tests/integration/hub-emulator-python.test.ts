import { spawn } from "node:child_process";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { CONFORMANCE_MODULES, findPython } from "../helpers/find-python.js";
import { testdir } from "../helpers/testdir.js";

/** The python with huggingface_hub to check the emulator against (CI always has it: tests/global-setup.ts). */
const found = findPython(CONFORMANCE_MODULES);
const hasHubLibrary = !("missing" in found);
const PYTHON = "python" in found ? found.python : "python3";

/**
 * huggingface_hub quotes every revision (`quote(revision, safe="")`), as the Hub requires: a branch with
 * a slash and a pull request's ref must work through every call it makes.
 */
const SCRIPT = `
import json, os
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download
api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
repo = "alice/oracle"
api.create_repo(repo)
api.upload_file(path_or_fileobj=b"main\\n", path_in_repo="a.txt", repo_id=repo, commit_message="main")
api.create_branch(repo, branch="feature/x")
api.upload_file(path_or_fileobj=b"feat\\n", path_in_repo="b.txt", repo_id=repo, revision="feature/x", commit_message="on feature/x")
pr = api.create_commit(repo, operations=[CommitOperationAdd("c.txt", b"pr\\n")], commit_message="Propose c", create_pr=True)
api.upload_file(path_or_fileobj=b"more\\n", path_in_repo="d.txt", repo_id=repo, revision=pr.pr_revision, commit_message="more")
print(json.dumps({
    "pr": [pr.pr_url, pr.pr_revision],
    "files": {rev: api.list_repo_files(repo, revision=rev) for rev in ["feature/x", "refs/pr/1"]},
    "tree": [e.path for e in api.list_repo_tree(repo, revision="refs/pr/1", recursive=True)],
    "commits": [c.title for c in api.list_repo_commits(repo, revision="feature/x")],
    "lastCommit": [e.last_commit.title for e in api.get_paths_info(repo, ["b.txt"], revision="feature/x", expand=True)],
    "sha": api.model_info(repo, revision="refs/pr/1").sha,
    "download": open(hf_hub_download(repo, "c.txt", revision="refs/pr/1")).read(),
    "exists": api.file_exists(repo, "d.txt", revision="refs/pr/1"),
    "discussions": [[d.num, d.title, d.status, d.is_pull_request] for d in api.get_repo_discussions(repo, discussion_type="pull_request", discussion_status="open")],
}))
`;

describe("the emulator against python huggingface_hub (the reference client)", () => {
  it.skipIf(!hasHubLibrary)(
    `reads and writes branches with a slash and pull requests through every revision route${hasHubLibrary ? "" : ` (skipped: ${"missing" in found ? found.missing : ""})`}`,
    async () => {
      const hub = new FakeHub();
      const served = await serveFakeHub(hub);
      onTestFinished(() => served.close());
      const cache = await testdir();
      const env = {
        PATH: process.env.PATH ?? "",
        HOME: cache,
        HF_HOME: cache,
        HF_ENDPOINT: served.url,
        HF_TOKEN: DEFAULT_TOKEN,
        HF_HUB_DISABLE_TELEMETRY: "1",
      };

      const child = spawn(PYTHON, ["-c", SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));

      expect(code, err).toBe(0);
      const repo = hub.repos.get("alice/oracle");
      expect(JSON.parse(out)).toEqual({
        pr: [`${served.url}/alice/oracle/discussions/1`, "refs/pr/1"],
        files: {
          "feature/x": [".gitattributes", "a.txt", "b.txt"],
          "refs/pr/1": [".gitattributes", "a.txt", "c.txt", "d.txt"],
        },
        tree: [".gitattributes", "a.txt", "c.txt", "d.txt"],
        commits: ["on feature/x", "main", "initial commit"],
        lastCommit: ["on feature/x"],
        sha: repo?.pullRequests.get(1)?.head,
        download: "pr\n",
        exists: true,
        discussions: [[1, "Propose c", "open", true]],
      });
      expect(repo?.branches.get("main")).toBe(repo?.history(repo.branches.get("feature/x"))[1]?.oid);
    },
  );
});
