/**
 * Pure: why the Hub refuses a path in a commit or preupload (answered 422), or undefined when it is a
 * valid repo path: relative, "/"-separated without a backslash, no empty, "." or ".." segment, and
 * `.git` folder anywhere (git cannot store one).
 */
export function invalidRepoPath(filePath: string): string | undefined {
  if (filePath === "") {
    return "the path is empty";
  }
  if (filePath.includes("\\")) {
    return "a backslash is not a path separator on the Hub; use /";
  }
  if (filePath.startsWith("/")) {
    return "the path must be relative to the repo root";
  }
  const segments = filePath.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return 'the path has an empty, "." or ".." segment';
  }
  if (segments.some((segment) => segment.toLowerCase() === ".git")) {
    return "a repo cannot hold a .git folder";
  }
  return undefined;
}
