import { describe, expect, it } from "vitest";
import { detectTestEnvironment } from "./detect-test-environment.js";

describe("detectTestEnvironment", () => {
  it.each<[Record<string, string | undefined>, string[]]>([
    [{}, []],
    [{ VITEST: "true" }, ["VITEST"]],
    [{ VITEST: "1" }, ["VITEST"]],
    [{ VITEST: "" }, []],
    [{ VITEST: "  " }, []],
    [{ VITEST: "0" }, []],
    [{ VITEST: " 0 " }, []],
    [{ VITEST: "false" }, []],
    [{ VITEST: " FALSE " }, []],
    [{ VITEST: undefined }, []],
    [{ JEST_WORKER_ID: "3" }, ["JEST_WORKER_ID"]],
    [{ JEST_WORKER_ID: "0" }, []],
    [{ NODE_ENV: "test" }, ["NODE_ENV=test"]],
    [{ NODE_ENV: " Test " }, ["NODE_ENV=test"]],
    [{ NODE_ENV: "testing" }, []],
    [{ NODE_ENV: "production" }, []],
    [{ TESTING: "1" }, ["TESTING=1"]],
    [{ TESTING: " True " }, ["TESTING=True"]],
    [{ TESTING: "yes" }, []],
    [{ TESTING: "0" }, []],
    [{ TESTING: "" }, []],
    [{ PYTEST_CURRENT_TEST: "tests/t.py::x (call)" }, ["PYTEST_CURRENT_TEST"]],
    [{ PYTEST_CURRENT_TEST: "false" }, []],
    [{ NODE_TEST_CONTEXT: "child" }, ["NODE_TEST_CONTEXT"]],
    [{ NODE_TEST_CONTEXT: "" }, []],
    // The old tool guessed from paths and script names; a user called "tester" must still upload.
    [{ PATH: "/home/tester/latest-test/bin", npm_lifecycle_event: "test", TEST: "1" }, []],
    [
      {
        NODE_TEST_CONTEXT: "child",
        PYTEST_CURRENT_TEST: "t.py::x (call)",
        TESTING: "TRUE",
        NODE_ENV: "Test",
        JEST_WORKER_ID: "3",
        VITEST: "true",
      },
      ["VITEST", "JEST_WORKER_ID", "NODE_ENV=test", "TESTING=TRUE", "PYTEST_CURRENT_TEST", "NODE_TEST_CONTEXT"],
    ],
  ])("%j → %j", (env, signals) => {
    expect(detectTestEnvironment(env)).toEqual(signals);
  });
});
