import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The facts every test shares, in one place: where the project is, the built binaries the
 * child-process tests run (built by `npm test`'s pretest: the code under test, never a stale copy),
 * and the run names the fixtures use.
 */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI_BIN = path.join(PROJECT_ROOT, "dist", "src", "bin.js");
export const HUB_BIN = path.join(PROJECT_ROOT, "dist", "tools", "hub-emulator", "bin.js");
/** A preload that refuses every socket connection: a child process with it cannot reach any network. */
export const DENY_NETWORK = path.join(PROJECT_ROOT, "tests", "helpers", "deny-network.mjs");

/** A flat run in the first tool's spelling, and its repo under the emulator's default user. */
export const RUN = "webauthn-security-sequential_20250926_120000";
export const REPO = `alice/${RUN}`;
/** A staged run in the run manager's spelling. */
export const STAGED_RUN = "webauthn-security-sequential-20251015_120000";
