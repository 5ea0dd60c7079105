#!/usr/bin/env node
// `npm run build`: tsc emits dist/src and dist/emulator (the emulator runs from there), then esbuild
// bundles the CLI into dist/cli. The bundle is what `process-artifacts` runs: resolving and loading
// ~300 separate modules cost about 0.15 s of every run, more than an unchanged re-run's requests.
// Code splitting keeps main.ts's lazy imports lazy, so --help and --version load only what they need.
import { execFileSync } from "node:child_process";
import { chmod, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, "dist", "cli");

execFileSync(
  process.execPath,
  [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
await rm(outdir, { recursive: true, force: true });
await build({
  // The Xet worker threads run a program of their own, next to the chunk that starts them (dist/cli).
  entryPoints: {
    bin: path.join(root, "src", "bin.ts"),
    "xet-worker": path.join(root, "src", "hub", "xet", "xet-worker.ts"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  sourcemap: true,
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(); an ES module has none of its own.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
});
await chmod(path.join(outdir, "bin.js"), 0o755);
