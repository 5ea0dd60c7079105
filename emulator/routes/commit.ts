import { createHash, randomBytes } from "node:crypto";
import { commitTarget } from "../commit-target.js";
import { gitBlobOid } from "../git-blob-oid.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { lfsPointer } from "../lfs-pointer.js";
import { repoUrl } from "../repo-url.js";
import { revisionNotFound } from "../revision-not-found.js";
import type { RouteContext } from "../route-context.js";
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

function badPath(filePath: string): boolean {
  return (
    filePath === "" ||
    filePath.startsWith("/") ||
    filePath.split("/").includes("..") ||
    filePath === ".git" ||
    filePath.startsWith(".git/")
  );
}

/**
 * `POST /api/{type}s/{id}/commit/{rev}[?create_pr=1]`, NDJSON: a header `{summary, description,
 * parentCommit?}`, then `file` (base64), `lfsFile` (an uploaded sha256), `deletedFile` and
 * `deletedFolder` operations. On a branch (or `refs/pr/N`) the commit moves that ref, and a declared
 * parentCommit that is no longer its head is refused with 412. With create_pr=1 the commit opens
 * `refs/pr/N` on top of the branch head (or of parentCommit) and leaves the branch where it was.
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
      return hubError(412, "A commit has happened since. Please refresh and try again.");
    }
  }

  const staged = new Map<string, FakeFile>(repo.treeAt(base));
  const operations: FakeCommit["operations"] = [];
  for (const { key, value } of operationLines) {
    const filePath = text(value.path);
    if (badPath(filePath)) {
      return hubError(400, `Invalid path in commit: ${filePath}`);
    }
    if (key === "file") {
      const content = Buffer.from(text(value.content), value.encoding === "base64" ? "base64" : "utf8");
      if (filePath === "README.md") {
        const problem = validateFrontMatter(content.toString("utf8"), type);
        if (problem) {
          return hubError(400, `Invalid metadata in README.md.\n- ${problem}`);
        }
      }
      staged.set(filePath, { size: content.byteLength, gitOid: gitBlobOid(content), lfs: undefined, content });
    } else if (key === "lfsFile") {
      const oid = text(value.oid);
      // Uploaded through LFS, or through Xet: a shard's SHA-256 metadata names the Xet file's content.
      const stored =
        ctx.hub.lfsStore.has(oid, Number(value.size)) || ctx.hub.xet?.fileBySha256(oid)?.size === Number(value.size);
      if (!stored) {
        return hubError(422, `LFS object ${oid} for ${filePath} was never uploaded`);
      }
      const size = Number(value.size);
      staged.set(filePath, {
        size,
        gitOid: gitBlobOid(lfsPointer(oid, size)),
        lfs: { oid, size },
        content: undefined,
      });
    } else if (key === "deletedFile") {
      if (!staged.delete(filePath)) {
        return hubError(404, `File not found: ${filePath}`, "EntryNotFound");
      }
    } else if (key === "deletedFolder") {
      const prefix = `${filePath.replace(/\/+$/, "")}/`;
      const inside = [...staged.keys()].filter((p) => p.startsWith(prefix));
      if (inside.length === 0) {
        return hubError(404, `Folder not found: ${filePath}`, "EntryNotFound");
      }
      inside.forEach((p) => staged.delete(p));
    } else {
      return hubError(400, `Unknown commit operation ${key}`);
    }
    operations.push({ key, path: filePath });
  }

  const date = new Date().toISOString();
  const oid = createHash("sha1")
    .update(`${repo.key}\n${base ?? ""}\n${summary}\n${date}\n${randomBytes(8).toString("hex")}`)
    .digest("hex");
  const prNumber = createPr ? Math.max(0, ...repo.pullRequests.keys()) + 1 : undefined;
  const author = ctx.user?.name ?? "";
  repo.allCommits.set(oid, {
    oid,
    title: summary,
    description: text(header.value.description),
    parent: base,
    declaredParent,
    branch: prNumber === undefined ? target.name : `refs/pr/${prNumber}`,
    pullRequest: prNumber !== undefined || target.kind === "pr",
    date,
    author,
    operations,
    files: staged,
  });
  if (prNumber !== undefined) {
    repo.pullRequests.set(prNumber, {
      num: prNumber,
      head: oid,
      target: target.name,
      title: summary,
      author,
      createdAt: date,
    });
  } else if (target.kind === "pr") {
    const pr = repo.pullRequests.get(Number(target.name.slice("refs/pr/".length)));
    if (pr) {
      pr.head = oid;
    }
  } else {
    repo.branches.set(target.name, oid);
  }
  await ctx.hub.save();
  const url = repoUrl(ctx.origin, repo);
  return jsonResponse({
    success: true,
    commitOid: oid,
    commitUrl: `${url}/commit/${oid}`,
    hookOutput: "",
    ...(prNumber === undefined
      ? {}
      : { pullRequestUrl: `${url}/discussions/${prNumber}`, pullRequestRevision: `refs/pr/${prNumber}` }),
  });
}
