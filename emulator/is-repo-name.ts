/** The Hub's rule for a repo, bucket or user name: letters, digits, and '-', '_' or '.' between them, 96 at most. */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9])){0,95}$/;

/** Pure: whether `name` is a valid name for a repo, a bucket or a user (the part after the namespace). */
export function isRepoName(name: string): boolean {
  return NAME.test(name);
}
