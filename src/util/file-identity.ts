import { stat } from "node:fs/promises";

/**
 * What tells us a file still holds the bytes we checked, without reading it. ctime is in it
 * because, unlike mtime, no ordinary tool can set it back after an edit.
 */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** The identity of the file at `file` now (following a symbolic link to the file it names). */
export async function fileIdentity(file: string): Promise<FileIdentity> {
  const info = await stat(file);
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
}
