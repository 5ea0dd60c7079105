import { createHash } from "node:crypto";

const MAX_REPO_NAME = 96;

/**
 * Pure: a folder name → a valid Hub repo name (letters, digits, '-', '_', '.'; no leading or trailing
 * '-'/'.', no '--' or '..'; at most 96 characters), optionally with a suffix. Run names are already
 * valid and stay unchanged. A name too long for the Hub is shortened and given a short hash of the
 * full name, so two long names that share a prefix never land in the same repo.
 */
export function toRepoName(folderName: string, suffix = ""): string {
  const cleaned =
    folderName
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/([-.])[-.]+/g, "$1")
      .replace(/^[-._]+|[-._]+$/g, "") || "model";
  if (cleaned.length + suffix.length <= MAX_REPO_NAME) {
    return `${cleaned}${suffix}`;
  }
  const hash = createHash("sha256").update(folderName).digest("hex").slice(0, 8);
  const keep = MAX_REPO_NAME - suffix.length - hash.length - 1;
  return `${cleaned.slice(0, keep).replace(/[-._]+$/g, "")}-${hash}${suffix}`;
}
