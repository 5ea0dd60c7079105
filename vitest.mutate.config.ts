import { defineConfig, mergeConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import base from "./vitest.config.js";

/**
 * Unit tests first: Stryker stops a mutant's run at its first failing test, and a unit test fails
 * in milliseconds where an integration test takes a second.
 */
class UnitTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isIntegration = (file: TestSpecification): boolean => file.moduleId.includes("/tests/integration/");
    return [...sorted.filter((file) => !isIntegration(file)), ...sorted.filter(isIntegration)];
  }
}

/**
 * The test set for `npm run mutate`. Stryker switches mutants on inside the test process, so a test
 * whose code under test runs in a child process (the built bin, the emulator command, `tsx` children)
 * can never see a mutant: those files only cost time and are left out.
 */
// No build: the tests that would run it (child processes) are left out below, and Stryker's sandbox
// holds instrumented sources that are not what dist/ should be built from.
export default mergeConfig(
  { ...base, test: { ...base.test, globalSetup: [] } },
  defineConfig({
    test: {
      exclude: [
        "**/node_modules/**",
        "tests/integration/cli-process.test.ts",
        "tests/integration/degrade.test.ts",
        "tests/integration/interruptions.test.ts",
        "tests/integration/many-files.test.ts",
        "tests/integration/memory.test.ts",
        "tests/integration/hub-emulator-command.test.ts",
        "tests/integration/hub-emulator-examples.test.ts",
        "tests/integration/reliability-network.test.ts",
        "src/hub/transport/source-blob.test.ts",
      ],
      sequence: { sequencer: UnitTestsFirst },
    },
  }),
);
