import { createHash } from "node:crypto";
import { readFile, readdir, readlink, stat } from "node:fs/promises";
import path from "node:path";

/** sha256 of every file under `dir` plus its mode and mtime: equal before and after means untouched. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isSymbolicLink()) {
        out[rel] = `symlink -> ${await readlink(full)}`;
      } else if (entry.isDirectory()) {
        out[`${rel}/`] = "dir";
        await walk(full);
      } else {
        const info = await stat(full);
        out[rel] = `${createHash("sha256")
          .update(await readFile(full))
          .digest("hex")} ${info.mode} ${info.mtimeMs}`;
      }
    }
  };
  await walk(dir);
  return out;
}
