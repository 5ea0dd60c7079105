// @ts-check
/**
 * Mutation testing (`npm run mutate`; not part of CI or `npm test`): the modules that decide what is
 * true. The groups are the one list of what is mutated; scripts/mutation-score.ts reports per group.
 */
export const MUTATED_GROUPS = {
  guard: [
    "src/hub/guard/check-upload-guard.ts",
    "src/hub/guard/is-production-hub.ts",
    "src/env/detect-test-environment.ts",
  ],
  "run selection": [
    "src/runs/parse-run-name.ts",
    "src/runs/pick-runs.ts",
    "src/runs/missing-parts.ts",
    "src/runs/read-run-manifest.ts",
    "src/runs/detect-artifact-kinds.ts",
  ],
  "conversion planning": ["src/convert/plan-peft-conversion.ts", "src/convert/read-mlx-adapter-config.ts"],
  "commit handling": [
    "src/hub/commit/commit-landed.ts",
    "src/hub/transport/check-hub-answer.ts",
    "src/hub/transport/hub-answer-schema.ts",
    "src/hub/lfs/parse-lfs-batch-answer.ts",
    "src/hub/commit/build-commit-body.ts",
    "src/hub/commit/upload-trailer.ts",
    "src/hub/diff-against-remote.ts",
  ],
  "token masking": ["src/output/mask-secrets.ts", "src/util/hf-token-pattern.ts"],
};

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  // Not `related`: the integration tests reach most of these modules through main.ts's lazy imports,
  // which vitest's related-files search does not follow. Coverage per test picks each mutant's tests.
  vitest: { configFile: "vitest.mutate.config.ts", related: false },
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: "perTest",
  mutate: Object.values(MUTATED_GROUPS).flat(),
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // Integration tests stage and upload real files; a mutant that slows them down is not a timeout.
  timeoutMS: 30_000,
};
