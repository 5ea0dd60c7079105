import path from "node:path";
import { defineConfig } from "vitest/config";

// The examples run as they would in a project that installed process-artifacts: on their own, with
// real network calls to the local Hub (no msw, no setup file of ours). Vite's cache stays in the
// repository's node_modules rather than appearing next to the examples.
export default defineConfig({
  cacheDir: path.join(import.meta.dirname, "..", "..", "node_modules", ".vite"),
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    testTimeout: 60_000,
  },
});
