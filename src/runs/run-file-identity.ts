import type { FileIdentity } from "../util/file-identity.js";
import type { RunFile } from "./inspect-run.js";

/** The file as validation saw it: what every later read must still find. */
export function runFileIdentity(file: RunFile): FileIdentity {
  return { dev: file.dev, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, ctimeMs: file.ctimeMs };
}
