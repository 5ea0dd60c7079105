import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { CONFORMANCE_MODULES, findPython } from "./helpers/find-python.js";
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
  reportConformanceSkip();
  const digest = await sourcesDigest();
  if ((await readFile(STAMP, "utf8").catch(() => "")) === digest) {
    return;
  }
  await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, "scripts", "build.mjs")], { cwd: PROJECT_ROOT });
  await writeFile(STAMP, digest);
}

/**
 * Without a python for it, the conformance suite (tests/conformance/) is skipped, and this says so in
 * one line; in CI it is an error instead, as CI builds .venv first (.ci/run) and must run the suite.
 */
function reportConformanceSkip(): void {
  const python = findPython(CONFORMANCE_MODULES);
  if (!("missing" in python)) {
    return;
  }
  if (process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false") {
    throw new Error(`CI must run the conformance suite, but found ${python.missing}`);
  }
  process.stderr.write(`Conformance suite skipped: ${python.missing}\n`);
}
