// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // .venv/: the python environment of the conformance suite (scripts/setup-python.sh).
  { ignores: ["dist/", "node_modules/", "coverage/", ".venv/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            "eslint.config.js",
            "stryker.config.mjs",
            "tests/helpers/*.mjs",
            "tests/conformance/*.mjs",
            "bench/*.mjs",
            "scripts/*.mjs",
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      curly: ["error", "all"],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The layering rules of STYLE.md §5.2, enforced rather than hoped for.
    files: ["src/**/*.ts"],
    ignores: ["src/bin.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read the environment only in bin.ts and pass it down (see env/read-env.ts).",
        },
        {
          object: "process",
          property: "exit",
          message: "Only bin.ts ends the process; throw a ProcessArtifactsError instead.",
        },
        { object: "process", property: "exitCode", message: "Only bin.ts sets the exit code." },
        {
          object: "console",
          property: "log",
          message: "Library code never prints: emit an event, or return a result.",
        },
        { object: "console", property: "error", message: "Library code never prints: emit an event, or throw." },
        { object: "console", property: "warn", message: "Library code never prints: emit a warning event." },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/hub/create-hub-client.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@huggingface/hub", message: "Only src/hub/create-hub-client.ts talks to @huggingface/hub." },
            { name: "yargs", message: "Only src/cli.ts imports yargs." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/cli.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@huggingface/hub", message: "Only src/hub/create-hub-client.ts talks to @huggingface/hub." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/output/create-output.ts", "src/bin.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["tests/**/*.mjs", "bench/*.mjs", "scripts/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
