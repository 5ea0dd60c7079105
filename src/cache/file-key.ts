/**
 * Identity of a file's content without reading it: path, size, mtime and inode. If any of them
 * changed, the file may have changed, so the key misses and the file is hashed again.
 */
export function fileKey(file: { abs: string; size: number; mtimeMs: number; ino: number; dev: number }): string {
  return `file:${file.dev}:${file.ino}:${file.size}:${file.mtimeMs}:${file.abs}`;
}
