/**
 * Pure: a folder name → a valid Hub repo name (letters, digits, '-', '_', '.'; no leading or trailing
 * '-'/'.', no '--' or '..'; at most 96 characters). Run names are already valid and stay unchanged.
 */
export function toRepoName(folderName: string): string {
  const cleaned = folderName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/([-.])[-.]+/g, "$1")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, 96)
    .replace(/[-._]+$/g, "");
  return cleaned === "" ? "model" : cleaned;
}
