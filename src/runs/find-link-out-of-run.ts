import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { isInsideFolder } from "../util/is-inside-folder.js";

/**
 * The first component of a run-relative path that is a symbolic link leading out of the run, and
 * where it leads; undefined when every component stays inside (or the path does not exist, which
 * is for the caller to report as missing). Checked component by component so the message names the
 * link itself (`stage2`, or `stage2/adapters`), not a file somewhere below it.
 */
export async function findLinkOutOfRun(
  runPath: string,
  rel: string,
): Promise<{ link: string; target: string } | undefined> {
  const root = await realpath(runPath);
  const parts = rel.split("/").filter((part) => part !== "" && part !== ".");
  for (let i = 1; i <= parts.length; i++) {
    const link = parts.slice(0, i).join("/");
    const abs = path.join(runPath, link);
    const info = await lstat(abs).catch(() => undefined);
    if (info === undefined) {
      return undefined;
    }
    if (!info.isSymbolicLink()) {
      continue;
    }
    const target = await realpath(abs).catch(() => undefined);
    if (target === undefined) {
      return undefined;
    }
    if (!isInsideFolder(root, target)) {
      return { link, target };
    }
  }
  return undefined;
}
