/** How every git-LFS pointer file starts (git-lfs spec v1). */
const LFS_POINTER = "version https://git-lfs.github.com/spec/v1";

/**
 * Pure: do these first bytes of a file (at least 8) read like a git-LFS pointer, i.e. a placeholder
 * for the real content that `git lfs pull` never fetched?
 */
export function looksLikeLfsPointer(start: Uint8Array): boolean {
  const length = Math.min(start.byteLength, LFS_POINTER.length);
  return length >= 8 && Buffer.from(start.subarray(0, length)).toString("latin1") === LFS_POINTER.slice(0, length);
}
