import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The test set for `npm run mutate`. Stryker switches mutants on inside the test process, so a test
 * whose code under test runs in a child process (the built bin, the emulator command, `tsx` children)
 * can never see a mutant: those files only cost time and are left out.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        "**/node_modules/**",
        "tests/integration/cli-process.test.ts",
        "tests/integration/memory.test.ts",
        "tests/integration/hub-emulator-command.test.ts",
        "tests/integration/hub-emulator-examples.test.ts",
        "tests/integration/reliability-network.test.ts",
        "src/hub/source-blob.test.ts",
      ],
    },
  }),
);
