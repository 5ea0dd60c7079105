import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The facts every test shares, in one place: where the project is, the built binaries the
 * child-process tests run (rebuilt by vitest's global setup whenever the sources change: the code under
 * test, never a stale copy),
 * and the run names the fixtures use.
 */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BINS = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }
).bin;
/** The commands as package.json ships them (the CLI is esbuild's bundle, dist/cli). */
export const CLI_BIN = path.join(PROJECT_ROOT, BINS["process-artifacts"] ?? "missing-bin");
export const HUB_BIN = path.join(PROJECT_ROOT, BINS["process-artifacts-hub"] ?? "missing-bin");
/** A preload that refuses every socket connection: a child process with it cannot reach any network. */
export const DENY_NETWORK = path.join(PROJECT_ROOT, "tests", "helpers", "deny-network.mjs");

/** A flat run in the first tool's spelling, and its repo under the emulator's default user. */
export const RUN = "webauthn-security-sequential_20250926_120000";
export const REPO = `alice/${RUN}`;
/** A staged run in the run manager's spelling. */
export const STAGED_RUN = "webauthn-security-sequential-20251015_120000";
