/**
 * Pure: why a run-relative path may not become a path in the Hub repo, or undefined if it may.
 * Paths come from readdir, but a run can be written by anything, so we refuse what would be
 * dangerous or ambiguous on the Hub or on a user's disk after download.
 */
export function checkRepoPath(rel: string): string | undefined {
  if (rel === "" || rel.startsWith("/") || /^[A-Za-z]:/.test(rel)) {
    return "is an absolute path";
  }
  if (rel.includes("\\")) {
    return "contains a backslash, which means a folder on Windows; rename the file";
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(rel)) {
    return "contains a control character; rename the file";
  }
  const parts = rel.split("/");
  if (parts.some((part) => part === ".." || part === "." || part === "")) {
    return "contains an empty, '.' or '..' path segment";
  }
  if (parts.some((part) => part === ".git")) {
    return "is inside .git/, which the Hub refuses";
  }
  return undefined;
}
