import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts", "emulator/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    // Builds dist/ when the sources changed since it was built: child-process tests run the code under test.
    globalSetup: ["tests/global-setup.ts"],
    // Belt and braces: the code under test never reads process.env (env is passed in), but a real
    // token or endpoint in the developer's shell must not even be visible to the test processes.
    env: { HF_TOKEN: "", HUGGING_FACE_HUB_TOKEN: "", HF_ENDPOINT: "", HF_TOKEN_PATH: "", HF_HOME: "" },
    unstubEnvs: true,
    restoreMocks: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
