import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

/**
 * `mkdir -p` that always ends: Node 20's `mkdir(dir, { recursive: true })` never settles for a path
 * under /proc (it retries ENOENT forever), and a cache folder may be configured anywhere. Creates
 * each missing ancestor once; any other failure (ENOTDIR, EACCES, EROFS, ...) is thrown as is.
 */
export async function createDirPath(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if ((await stat(current)).isDirectory()) {
        break;
      }
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), {
        code: "ENOTDIR",
        path: current,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw error;
      }
    }
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) {
      break;
    }
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
    }
  }
}
