import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "./helpers/fixtures.js";

/** Where the build records the sources it was made from. */
const STAMP = path.join(PROJECT_ROOT, "dist", ".sources-sha256");

/** Every input of `npm run build`, hashed by content: mtimes lie after checkouts and copies. */
async function sourcesDigest(): Promise<string> {
  const hash = createHash("sha256");
  const files: string[] = ["package.json", "tsconfig.json", "tsconfig.build.json", "scripts/build.mjs"];
  for (const folder of ["src", "emulator"]) {
    for (const file of await readdir(path.join(PROJECT_ROOT, folder), { recursive: true })) {
      if (file.endsWith(".ts") && !file.endsWith(".test.ts")) {
        files.push(path.join(folder, file));
      }
    }
  }
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(PROJECT_ROOT, file)));
  }
  return hash.digest("hex");
}

/**
 * Child-process tests run the built CLI and emulator (dist/). Build them here whenever the sources
 * differ from what dist/ was built from, so no test ever runs a stale build, whoever starts vitest.
 */
export default async function setup(): Promise<void> {
  const digest = await sourcesDigest();
  if ((await readFile(STAMP, "utf8").catch(() => "")) === digest) {
    return;
  }
  await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, "scripts", "build.mjs")], { cwd: PROJECT_ROOT });
  await writeFile(STAMP, digest);
}
