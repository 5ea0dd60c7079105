import type { RepoType } from "./types.js";

export type RepoAction =
  | "info"
  | "preupload"
  | "commit"
  | "tree"
  | "commits"
  | "refs"
  | "branch"
  | "tag"
  | "settings"
  | "paths-info"
  | "super-squash"
  | "xet-read-token"
  | "xet-write-token";

export type HubRoute =
  | { kind: "lfs-put"; oid: string; part: number | undefined }
  | { kind: "lfs-complete"; oid: string }
  | { kind: "emulator-state" }
  | { kind: "whoami" }
  | { kind: "validate-yaml" }
  | { kind: "create-repo" }
  | { kind: "delete-repo" }
  | { kind: "move-repo" }
  | { kind: "list-repos"; type: RepoType }
  | {
      kind: "discussions";
      type: RepoType;
      id: string;
      /** The discussion's number; undefined for the repo's list (GET) or a new discussion (POST). */
      num: number | undefined;
      /** What follows the number: [] (details), ["comment"], ["status"], ["comment", id, "edit"], ... */
      rest: string[];
    }
  | { kind: "file"; mode: "resolve" | "raw"; type: RepoType; id: string; revision: string; path: string }
  | { kind: "lfs-batch"; type: RepoType; id: string }
  | {
      kind: "repo";
      type: RepoType;
      id: string;
      action: RepoAction;
      /** The revision (or, for branch and tag, the name) after the action, when the route has one. */
      revision: string | undefined;
      /**
       * Whatever follows the revision's segment: a folder for tree; for any other action, the rest of
       * a revision sent with an unencoded slash. "" when nothing.
       */
      rest: string;
    }
  | { kind: "buckets"; namespace: string }
  | {
      kind: "bucket";
      id: string;
      action: BucketAction;
      /** For tree, the prefix after it (sent encoded as one segment, or as several); "" otherwise. */
      rest: string;
    }
  | { kind: "bucket-file"; id: string; path: string }
  | { kind: "unsupported"; reason: string };

export type BucketAction = "info" | "tree" | "paths-info" | "batch" | "settings" | "xet-read-token" | "xet-write-token";

const BUCKET_ACTIONS = new Set<string>(["paths-info", "batch", "settings", "xet-read-token", "xet-write-token"]);

const ACTIONS = new Set<string>([
  "preupload",
  "commit",
  "tree",
  "commits",
  "refs",
  "branch",
  "tag",
  "settings",
  "paths-info",
  "super-squash",
  "xet-read-token",
  "xet-write-token",
]);
/**
 * A revision starting at `segments[index]`: one path segment, as the Hub reads it. A revision with a
 * slash must be sent percent-encoded ("refs%2Fpr%2F1", one segment once decoded); sent raw,
 * `refs/pr/1` is the revision `refs` followed by a path, which the Hub answers "Invalid rev id: refs".
 */
function takeRevision(segments: string[], index: number): { revision: string; next: number } | undefined {
  const first = segments[index];
  return first === undefined || first === "" ? undefined : { revision: first, next: index + 1 };
}

function repoType(plural: string | undefined): RepoType | "space" | undefined {
  return plural === "models" ? "model" : plural === "datasets" ? "dataset" : plural === "spaces" ? "space" : undefined;
}

/** `/api/buckets/{namespace}` (a listing) and `/api/buckets/{ns}/{name}[/{action}]`, from the segment after "buckets". */
function bucketApiRoute(segments: string[]): HubRoute | undefined {
  const [namespace, name, action] = segments;
  if (namespace === undefined || namespace === "") {
    return undefined;
  }
  if (segments.length === 1) {
    return { kind: "buckets", namespace };
  }
  if (name === undefined || name === "") {
    return undefined;
  }
  const id = `${namespace}/${name}`;
  if (action === undefined) {
    return { kind: "bucket", id, action: "info", rest: "" };
  }
  if (action === "tree") {
    return { kind: "bucket", id, action, rest: segments.slice(3).join("/") };
  }
  return BUCKET_ACTIONS.has(action) && segments.length === 3
    ? { kind: "bucket", id, action: action as BucketAction, rest: "" }
    : undefined;
}

/** Pure: what a request path (as sent, still URL-encoded) asks for; undefined when no route matches. */
export function parseHubPath(rawPath: string): HubRoute | undefined {
  let segments: string[];
  try {
    segments = rawPath.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [first, second, third, fourth] = segments;

  if (first === "__lfs" && second !== undefined && /^[0-9a-f]{64}$/.test(second)) {
    if (segments.length === 2) {
      return { kind: "lfs-put", oid: second, part: undefined };
    }
    if (third === "part" && fourth !== undefined && /^\d+$/.test(fourth) && segments.length === 4) {
      return { kind: "lfs-put", oid: second, part: Number(fourth) };
    }
    if (third === "complete" && segments.length === 3) {
      return { kind: "lfs-complete", oid: second };
    }
    return undefined;
  }
  if (first === "__emulator" && second === "state" && segments.length === 2) {
    return { kind: "emulator-state" };
  }

  if (first === "api") {
    if (segments.length === 2 && second === "whoami-v2") {
      return { kind: "whoami" };
    }
    if (segments.length === 2 && second === "validate-yaml") {
      return { kind: "validate-yaml" };
    }
    if (segments.length === 3 && second === "repos" && third === "create") {
      return { kind: "create-repo" };
    }
    if (segments.length === 3 && second === "repos" && third === "delete") {
      return { kind: "delete-repo" };
    }
    if (segments.length === 3 && second === "repos" && third === "move") {
      return { kind: "move-repo" };
    }
    if (second === "buckets") {
      return bucketApiRoute(segments.slice(2));
    }
    const type = repoType(second);
    if ((type === "model" || type === "dataset") && segments.length === 2) {
      return { kind: "list-repos", type };
    }
    if (type === undefined || third === undefined || third === "" || fourth === undefined || fourth === "") {
      return undefined;
    }
    if (type === "space") {
      return { kind: "unsupported", reason: "the emulator serves model and dataset repos, not Spaces" };
    }
    const id = `${third}/${fourth}`;
    const action = segments[4];
    if (action === undefined) {
      return { kind: "repo", type, id, action: "info", revision: undefined, rest: "" };
    }
    if (action === "discussions") {
      const num = segments[5];
      if (num === undefined) {
        return { kind: "discussions", type, id, num: undefined, rest: [] };
      }
      return /^[1-9]\d{0,8}$/.test(num)
        ? { kind: "discussions", type, id, num: Number(num), rest: segments.slice(6) }
        : undefined;
    }
    if (action === "revision") {
      const taken = takeRevision(segments, 5);
      return taken
        ? {
            kind: "repo",
            type,
            id,
            action: "info",
            revision: taken.revision,
            rest: segments.slice(taken.next).join("/"),
          }
        : undefined;
    }
    if (!ACTIONS.has(action)) {
      return undefined;
    }
    if (action === "refs" || action === "settings" || action === "discussions") {
      return segments.length === 5
        ? { kind: "repo", type, id, action: action as RepoAction, revision: undefined, rest: "" }
        : undefined;
    }
    if (action === "branch" || action === "tag") {
      // A branch or tag name is one (encoded) segment.
      const name = segments[5];
      return name !== undefined && name !== "" && segments.length === 6
        ? { kind: "repo", type, id, action, revision: name, rest: "" }
        : undefined;
    }
    const taken = takeRevision(segments, 5);
    if (!taken) {
      return undefined;
    }
    // Only tree reads a path after the revision; anywhere else it is a revision sent with a raw slash,
    // which the routing answers as the Hub does (fake-hub.ts).
    const rest = segments.slice(taken.next).join("/");
    return { kind: "repo", type, id, action: action as RepoAction, revision: taken.revision, rest };
  }

  // A bucket's files: "/buckets/{ns}/{name}/resolve/{path}" (no revision: a bucket has no history).
  if (first === "buckets" && segments[3] === "resolve") {
    const filePath = segments.slice(4).join("/");
    return second && third && filePath !== ""
      ? { kind: "bucket-file", id: `${second}/${third}`, path: filePath }
      : undefined;
  }

  // File and git routes: "/{ns}/{name}/..." for models, "/datasets/{ns}/{name}/..." for datasets.
  const type: RepoType = first === "datasets" ? "dataset" : "model";
  const offset = type === "dataset" ? 1 : 0;
  const namespace = segments[offset];
  const nameOrGit = segments[offset + 1];
  if (namespace === undefined || namespace === "" || nameOrGit === undefined || nameOrGit === "") {
    return undefined;
  }
  if (
    nameOrGit.endsWith(".git") &&
    segments.slice(offset + 2).join("/") === "info/lfs/objects/batch" &&
    nameOrGit.length > 4
  ) {
    return { kind: "lfs-batch", type, id: `${namespace}/${nameOrGit.slice(0, -4)}` };
  }
  const mode = segments[offset + 2];
  if (mode === "resolve" || mode === "raw") {
    const taken = takeRevision(segments, offset + 3);
    const filePath = taken ? segments.slice(taken.next).join("/") : "";
    if (!taken || filePath === "") {
      return undefined;
    }
    return { kind: "file", mode, type, id: `${namespace}/${nameOrGit}`, revision: taken.revision, path: filePath };
  }
  return undefined;
}
