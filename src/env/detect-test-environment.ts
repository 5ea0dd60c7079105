/**
 * Names of the signals that say "this process runs under a test runner". Each one is set by a runner
 * itself (vitest, jest, node:test, pytest) or by convention (NODE_ENV=test, TESTING=1), so it is
 * inherited by any child process a test spawns. We never guess from the script's path: the old
 * tool's `"test" in argv[0]` blocked real uploads from `/home/tester/...`.
 */
export function detectTestEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const signals: string[] = [];
  const isSet = (name: string): boolean => {
    const value = env[name]?.trim().toLowerCase();
    return value !== undefined && value !== "" && value !== "0" && value !== "false";
  };
  if (isSet("VITEST")) {
    signals.push("VITEST");
  }
  if (isSet("JEST_WORKER_ID")) {
    signals.push("JEST_WORKER_ID");
  }
  if (env.NODE_ENV?.trim().toLowerCase() === "test") {
    signals.push("NODE_ENV=test");
  }
  const testing = env.TESTING?.trim();
  if (testing === "1" || testing?.toLowerCase() === "true") {
    signals.push(`TESTING=${testing}`);
  }
  if (isSet("PYTEST_CURRENT_TEST")) {
    signals.push("PYTEST_CURRENT_TEST");
  }
  if (isSet("NODE_TEST_CONTEXT")) {
    signals.push("NODE_TEST_CONTEXT");
  }
  return signals;
}
