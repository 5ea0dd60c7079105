import { addCommit } from "../add-commit.js";
import { commitTarget } from "../commit-target.js";
import { discussionEvent } from "../discussion-event.js";
import { gitBlobOid } from "../git-blob-oid.js";
import { hubError } from "../hub-error.js";
import { invalidRepoPath } from "../invalid-repo-path.js";
import { jsonResponse } from "../json-response.js";
import { lfsPointer } from "../lfs-pointer.js";
import { openDiscussion } from "../open-discussion.js";
import { repoUrl } from "../repo-url.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
import { trackLfsPaths } from "../track-lfs-paths.js";
import type { FakeCommit, FakeFile, RepoType } from "../types.js";
import { validateFrontMatter } from "../validate-front-matter.js";

interface Line {
  key: string;
  value: Record<string, unknown>;
}

const PARENT = /^[0-9a-fA-F]{5,40}$/;

const text = (value: unknown): string => (typeof value === "string" ? value : "");

function parseLines(body: string): Line[] | string {
  const lines: Line[] = [];
  for (const [index, line] of body.split("\n").entries()) {
    if (line.trim() === "") {
      continue;
    }
    try {
      const parsed = JSON.parse(line) as Partial<Line>;
      if (typeof parsed.key !== "string" || parsed.value === null || typeof parsed.value !== "object") {
        return `line ${index + 1} of the commit is not {"key", "value"}`;
      }
      lines.push(parsed as Line);
    } catch {
      return `line ${index + 1} of the commit is not JSON`;
    }
  }
  return lines;
}

/**
 * `POST /api/{type}s/{id}/commit/{rev}[?create_pr=1]`, NDJSON: a header `{summary, description,
 * parentCommit?}`, then `file` (base64), `lfsFile` (an uploaded sha256), `deletedFile` and
 * `deletedFolder` operations (`deletedFile` of a folder deletes the folder, as on the Hub). An `lfsFile`
 * without a size (a copy) takes the stored object's; an LFS file no `.gitattributes` rule covers gets
 * its own line there in the same commit. On a branch (or `refs/pr/N`, where it is also an event of the
 * pull request) the commit moves that ref, and a declared parentCommit that is no longer its head is
 * refused with 412. With create_pr=1 the commit opens a pull request, `refs/pr/N`, on top of the
 * branch head (or of parentCommit) and leaves the branch where it was. A path the Hub refuses is 422.
 */
export async function commitRoute(ctx: RouteContext, type: RepoType, id: string, revision: string): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "write");
  if (repo instanceof Response) {
    return repo;
  }
  const target = commitTarget(repo, revision);
  const createPr = ["1", "true"].includes(ctx.url.searchParams.get("create_pr") ?? "");
  if (!target || (createPr && target.kind !== "branch")) {
    return revisionNotFound(revision);
  }
  const parsed = parseLines(await ctx.request.text());
  if (typeof parsed === "string") {
    return hubError(400, parsed);
  }
  const [header, ...operationLines] = parsed;
  const summary = header?.key === "header" ? text(header.value.summary).trim() : "";
  if (header?.key !== "header" || summary === "") {
    return hubError(400, "The commit needs a header line with a summary");
  }
  const declared = header.value.parentCommit;
  if (declared !== undefined && (typeof declared !== "string" || !PARENT.test(declared))) {
    return hubError(400, `parentCommit ${JSON.stringify(declared)} is not a commit oid`);
  }
  const declaredParent = typeof declared === "string" ? declared.toLowerCase() : undefined;

  let base: string | undefined;
  if (createPr && declaredParent !== undefined) {
    const found = repo.findCommit(declaredParent);
    if (!found) {
      return revisionNotFound(declaredParent);
    }
    base = found.oid;
  } else {
    base = target.commit;
    if (!createPr && declaredParent !== undefined && !(base ?? "").startsWith(declaredParent)) {
      return hubError(412, "The branch was updated since you opened this page. Please refresh and try again.");
    }
  }

  const staged = new Map<string, FakeFile>(repo.treeAt(base));
  const operations: FakeCommit["operations"] = [];
  const lfsPaths: string[] = [];
  for (const { key, value } of operationLines) {
    const filePath = text(value.path);
    const problem = invalidRepoPath(key === "deletedFolder" ? filePath.replace(/\/+$/, "") : filePath);
    if (problem !== undefined) {
      return hubError(422, `Invalid path ${JSON.stringify(filePath)}: ${problem}`);
    }
    if (key === "file") {
      const content = Buffer.from(text(value.content), value.encoding === "base64" ? "base64" : "utf8");
      if (filePath === "README.md") {
        const invalid = validateFrontMatter(content.toString("utf8"), type);
        if (invalid) {
          return hubError(400, `Invalid metadata in README.md.\n- ${invalid}`);
        }
      }
      staged.set(filePath, { size: content.byteLength, gitOid: gitBlobOid(content), lfs: undefined, content });
    } else if (key === "lfsFile") {
      const oid = text(value.oid);
      // A copy of an LFS file names only its oid: the size is the stored object's (uploaded through LFS, or
      // through Xet, whose shard's SHA-256 metadata names the file's content).
      const size =
        value.size === undefined
          ? (ctx.hub.lfs.get(oid)?.size ?? ctx.hub.xet?.fileBySha256(oid)?.size ?? -1)
          : Number(value.size);
      const stored = ctx.hub.lfsStore.has(oid, size) || ctx.hub.xet?.fileBySha256(oid)?.size === size;
      if (!stored) {
        return hubError(422, `LFS object ${oid} for ${filePath} was never uploaded`);
      }
      staged.set(filePath, {
        size,
        gitOid: gitBlobOid(lfsPointer(oid, size)),
        lfs: { oid, size },
        content: undefined,
      });
      lfsPaths.push(filePath);
    } else if (key === "deletedFile" && staged.has(filePath)) {
      staged.delete(filePath);
    } else if (key === "deletedFile" || key === "deletedFolder") {
      // A deletedFile that names a folder deletes the folder, as the Hub does.
      const folder = `${filePath.replace(/\/+$/, "")}/`;
      const inside = [...staged.keys()].filter((p) => p.startsWith(folder));
      if (inside.length === 0) {
        return hubError(404, `${key === "deletedFile" ? "File" : "Folder"} not found: ${filePath}`, "EntryNotFound");
      }
      inside.forEach((p) => staged.delete(p));
    } else {
      return hubError(400, `Unknown commit operation ${key}`);
    }
    operations.push({ key, path: filePath });
  }
  const attributes = staged.get(".gitattributes");
  const attributesText = attributes?.content?.toString("utf8") ?? "";
  const tracked = trackLfsPaths(attributesText, lfsPaths);
  if (tracked !== attributesText) {
    const content = Buffer.from(tracked);
    staged.set(".gitattributes", { size: content.byteLength, gitOid: gitBlobOid(content), lfs: undefined, content });
    operations.push({ key: "file", path: ".gitattributes" });
  }

  const author = ctx.user?.name ?? "";
  const description = text(header.value.description);
  const commit = addCommit(repo, {
    title: summary,
    description,
    parent: base,
    declaredParent,
    branch: target.name,
    pullRequest: createPr || target.kind === "pr",
    author,
    operations,
    files: staged,
  });
  let prNumber: number | undefined;
  if (createPr) {
    const pr = openDiscussion(repo, {
      title: summary,
      description,
      author,
      pullRequest: { target: target.name, base: base ?? commit.oid, head: commit.oid, status: "open" },
    });
    prNumber = pr.num;
    commit.branch = `refs/pr/${pr.num}`;
    pr.events.push(discussionEvent("commit", author, { subject: summary, oid: commit.oid }));
  } else if (target.kind === "pr") {
    const pr = repo.discussions.get(Number(target.name.slice("refs/pr/".length)));
    if (pr?.isPullRequest === true) {
      pr.head = commit.oid;
      pr.events.push(discussionEvent("commit", author, { subject: summary, oid: commit.oid }));
    }
  } else {
    repo.branches.set(target.name, commit.oid);
  }
  await ctx.hub.save();
  const url = repoUrl(ctx.origin, repo);
  return jsonResponse({
    success: true,
    commitOid: commit.oid,
    commitUrl: `${url}/commit/${commit.oid}`,
    hookOutput: "",
    ...(prNumber === undefined
      ? {}
      : { pullRequestUrl: `${url}/discussions/${prNumber}`, pullRequestRevision: `refs/pr/${prNumber}` }),
  });
}
