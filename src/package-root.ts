import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of this package's package.json, found by walking up from this module; the same
 * answer whether we run from src/ (tests) or dist/src/ (the installed CLI).
 */
export function packageRoot(): { root: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === "process-artifacts") {
        return { root: dir, version: manifest.version ?? "0.0.0" };
      }
    } catch {
      // not here; keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error("process-artifacts: cannot find the package's own package.json");
    }
    dir = parent;
  }
}
