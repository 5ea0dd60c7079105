import type { FileIdentity } from "../util/file-identity.js";

/**
 * Identity of a file's content without reading it: path, device, inode, size, mtime and ctime. If
 * any of them changed, the file may have changed, so the key misses and the file is hashed again.
 * ctime is what makes this safe: an edit that puts the mtime back (`touch -d`, `utimes`, rsync -t)
 * still moves the ctime, which no ordinary tool can set.
 */
export function fileKey(file: FileIdentity & { abs: string }): string {
  return `file:${file.dev}:${file.ino}:${file.size}:${file.mtimeMs}:${file.ctimeMs}:${file.abs}`;
}
